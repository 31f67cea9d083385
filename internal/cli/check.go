package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/quality"
)

// CheckOptions are the flags of 'sparkify check'.
type CheckOptions struct {
	Checks string
	JSON   bool
	Format string
}

func newCheckCmd(f *Factory) *cobra.Command {
	opts := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run the data-quality checks on the warehouse",
		Long: `Run the built-in data-quality checks - every star table non-empty, unique and
non-null keys, referential integrity, level only free/paid, songplays equal to
the staged NextSong events with a user, the catalog match rate (a warning
below [SPARKIFY] MATCH_RATE_WARN, default 0.01) - and the checks of a checks
file. The same checks run at the end of every 'sparkify etl' and are stored
with the run. Exits with code 3 when an error-level check fails.

A checks file has one INI section per check:

  [no_plays_from_the_future]
  sql = SELECT COUNT(*) FROM songplays WHERE start_time >= CURRENT_DATE + 1
  expect = 0

  [enough_paid_users]
  sql = SELECT COUNT(*) FROM users WHERE level = 'paid'
  min = 10
  severity = warn`,
		Example: `  sparkify check
  sparkify check --checks checks.cfg --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Checks, "checks", "", "a file of your own checks (default dwh.cfg [SPARKIFY] CHECKS)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	addFormatFlag(cmd, &opts.Format)
	addAllowPrivilegedFlag(cmd, f)
	return cmd
}

func runCheck(ctx context.Context, f *Factory, opts *CheckOptions) error {
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return &FlagError{Err: err}
	}
	f.Flags.ChecksFile = opts.Checks
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	checks, err := loadChecks(cfg)
	if err != nil {
		return err
	}
	wh, err := f.OpenQueryWarehouse(ctx)
	if err != nil {
		return err
	}
	rep, err := quality.Run(ctx, wh.DB(), checks, settings(cfg))
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		res := &output.Result{Columns: []string{"check", "severity", "status", "observed", "expected", "message"}}
		for _, r := range rep.Results {
			res.Rows = append(res.Rows, []any{r.Name, r.Severity, r.Status, r.Observed, r.Expected, r.Message})
		}
		if err := output.Write(f.IO.Out, format, res); err != nil {
			return err
		}
		if format == output.Table {
			fmt.Fprintf(f.IO.Out, "\n%d passed, %d warned, %d failed\n", rep.Passed, rep.Warned, rep.Failed)
		}
	}
	if rep.HasFailures() {
		return &ExitError{Code: ExitCheckFailed, Err: fmt.Errorf("%d data-quality check(s) failed", rep.Failed)}
	}
	return nil
}
