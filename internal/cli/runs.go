package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// RunsOptions are the flags of 'sparkify runs'.
type RunsOptions struct {
	Limit   int
	JSON    bool
	Rejects int64 // 0: list runs; -1: the latest load's rejects; n: load n's
	Format  string
}

func newRunsCmd(f *Factory) *cobra.Command {
	opts := &RunsOptions{}
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "Show the history of loads, or the lines a load rejected",
		Long: `Show past loads, newest first: when, what they read, rows per table,
rejected lines, checks, duration and outcome. --rejects shows every line a
load rejected, with file, line number and reason (the latest load that has
any when no id is given).`,
		Example: `  sparkify runs
  sparkify runs --json
  sparkify runs --rejects        # the latest load's rejected lines
  sparkify runs --rejects=7      # load 7's`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Rejects != 0 {
				return runRejects(cmd.Context(), f, opts)
			}
			return runRuns(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().IntVar(&opts.Limit, "limit", 20, "how many runs (or rejects) to show")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the full run records as JSON")
	cmd.Flags().Int64Var(&opts.Rejects, "rejects", 0, "show the rejected lines of a load (default: the latest)")
	cmd.Flags().Lookup("rejects").NoOptDefVal = "-1"
	addFormatFlag(cmd, &opts.Format)
	return cmd
}

// storedRun is one row of sparkify_runs.
type storedRun struct {
	LoadID                               int64
	Status, Mode                         string
	Started, Finished                    time.Time
	DurationMS                           int64
	SongsURI, LogsURI                    sql.NullString
	Files                                int64
	LinesRead, LinesLoaded, LinesRejects int64
	Summary, Error                       sql.NullString
}

func readRuns(ctx context.Context, wh warehouse.Warehouse, limit int) ([]storedRun, error) {
	q, err := wh.SQL().Text("runs_list")
	if err != nil {
		return nil, err
	}
	rows, err := wh.DB().QueryContext(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("read the run history: %w", err)
	}
	defer rows.Close()
	var out []storedRun
	for rows.Next() {
		var r storedRun
		if err := rows.Scan(&r.LoadID, &r.Status, &r.Mode, &r.Started, &r.Finished, &r.DurationMS,
			&r.SongsURI, &r.LogsURI, &r.Files, &r.LinesRead, &r.LinesLoaded, &r.LinesRejects,
			&r.Summary, &r.Error); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func runRuns(ctx context.Context, f *Factory, opts *RunsOptions) error {
	wh, err := f.OpenQueryWarehouse(ctx)
	if err != nil {
		return err
	}
	runs, err := readRuns(ctx, wh, opts.Limit)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeRunsJSON(f, runs)
	}
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return &FlagError{Err: err}
	}
	res := &output.Result{Columns: []string{"load", "status", "mode", "started", "seconds", "files", "lines", "loaded", "rejected", "songplays", "checks", "error"}}
	for _, r := range runs {
		sum := parseSummary(r.Summary)
		var plays any
		if t := sum.Table("songplays"); t != nil {
			plays = fmt.Sprintf("%d (%+d)", t.Rows, t.Delta)
		}
		res.Rows = append(res.Rows, []any{r.LoadID, r.Status, r.Mode, r.Started.UTC().Format("2006-01-02 15:04:05"),
			fmt.Sprintf("%.2f", float64(r.DurationMS)/1000), r.Files, r.LinesRead, r.LinesLoaded, r.LinesRejects,
			plays, checksStatus(sum.Checks), firstLine(r.Error.String)})
	}
	if len(runs) == 0 && format == output.Table {
		f.info("No loads yet: run 'sparkify etl' or 'sparkify demo'.")
		return nil
	}
	return output.Write(f.IO.Out, format, res)
}

func writeRunsJSON(f *Factory, runs []storedRun) error {
	out := make([]json.RawMessage, 0, len(runs))
	for _, r := range runs {
		if r.Summary.Valid && json.Valid([]byte(r.Summary.String)) {
			out = append(out, json.RawMessage(r.Summary.String))
		}
	}
	enc := json.NewEncoder(f.IO.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func parseSummary(s sql.NullString) *pipeline.Result {
	res := &pipeline.Result{}
	if s.Valid {
		json.Unmarshal([]byte(s.String), res)
	}
	return res
}

// checksStatus summarises a stored check report: "pass", "fail 2", "warn 1"
// or "" when no checks ran.
func checksStatus(report any) string {
	items, ok := report.(map[string]any)
	if !ok {
		return ""
	}
	if s, ok := items["status"].(string); ok {
		return s
	}
	return ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func runRejects(ctx context.Context, f *Factory, opts *RunsOptions) error {
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return &FlagError{Err: err}
	}
	wh, err := f.OpenQueryWarehouse(ctx)
	if err != nil {
		return err
	}
	loadID := opts.Rejects
	if loadID < 0 {
		q, err := wh.SQL().Text("rejects_latest_load")
		if err != nil {
			return err
		}
		if err := wh.DB().QueryRowContext(ctx, q).Scan(&loadID); err != nil {
			return err
		}
		if loadID == 0 {
			f.info("No load has rejected any line.")
			return nil
		}
	}
	q, err := wh.SQL().Text("rejects_list")
	if err != nil {
		return err
	}
	limit := opts.Limit
	if !opts.JSON && format != output.Table {
		limit = 1 << 30 // machine-readable output gets everything
	}
	res, err := warehouse.Query(ctx, wh.DB(), q, loadID, limit)
	if err != nil {
		return err
	}
	if opts.JSON {
		format = output.JSON
	}
	return output.Write(f.IO.Out, format, res)
}

// printRejectsPreview shows the first rejected lines of a failed load on
// stderr, so the user sees why without another command.
func printRejectsPreview(ctx context.Context, f *Factory, wh warehouse.Warehouse, loadID int64) {
	q, err := wh.SQL().Text("rejects_list")
	if err != nil {
		return
	}
	const preview = 5
	rows, err := wh.DB().QueryContext(ctx, q, loadID, preview+1)
	if err != nil {
		return
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, line int64
		var kind, uri, reason string
		var raw sql.NullString
		if rows.Scan(&id, &kind, &uri, &line, &reason, &raw) != nil {
			return
		}
		n++
		if n > preview {
			fmt.Fprintf(f.IO.ErrOut, "  ... see all with: sparkify runs --rejects=%d\n", loadID)
			break
		}
		fmt.Fprintf(f.IO.ErrOut, "  rejected %s:%d: %s\n", uri, line, reason)
	}
}
