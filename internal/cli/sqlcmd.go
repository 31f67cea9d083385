package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// SQLOptions are the flags of 'sparkify sql'.
type SQLOptions struct {
	Query  string
	Format string
}

func newSQLCmd(f *Factory) *cobra.Command {
	opts := &SQLOptions{}
	cmd := &cobra.Command{
		Use:   "sql QUERY",
		Short: "Run a read-only SQL query against the warehouse",
		Long: `Run one ad-hoc query. The warehouse is opened read-only: statements that
would change it fail.`,
		Example: `  sparkify sql "SELECT level, COUNT(*) FROM users GROUP BY level"
  sparkify sql --format json "SELECT * FROM songplays LIMIT 3"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Query = args[0]
			return runSQL(cmd.Context(), f, opts)
		},
	}
	addFormatFlag(cmd, &opts.Format)
	return cmd
}

func runSQL(ctx context.Context, f *Factory, opts *SQLOptions) error {
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return &FlagError{Err: err}
	}
	if strings.TrimSpace(opts.Query) == "" {
		return flagErrorf("the query is empty")
	}
	wh, err := f.OpenQueryWarehouse(ctx)
	if err != nil {
		return err
	}
	res, err := warehouse.Query(ctx, wh.DB(), opts.Query)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, format, res)
}
