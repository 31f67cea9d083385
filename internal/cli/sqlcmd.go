package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// defaultSQLTimeout bounds an ad-hoc query.
const defaultSQLTimeout = 5 * time.Minute

// sqlTimeoutGrace is how much longer than --timeout the client waits: a
// server engine's own statement_timeout fires first and says so; an
// embedded engine is interrupted through the context.
const sqlTimeoutGrace = time.Second

// SQLOptions are the flags of 'sparkify sql'.
type SQLOptions struct {
	Query   string
	Format  string
	Timeout time.Duration
}

func newSQLCmd(f *Factory) *cobra.Command {
	opts := &SQLOptions{}
	cmd := &cobra.Command{
		Use:   "sql QUERY",
		Short: "Run a read-only SQL query against the warehouse",
		Long: `Run one ad-hoc query (one statement). The warehouse is opened read-only:
statements that would change it fail. On PostgreSQL and Redshift a login
that is a superuser, or may read or write the server's files or run
programs there, is refused unless --allow-privileged is given. A query
running longer than --timeout is cancelled by the engine.`,
		Example: `  sparkify sql "SELECT level, COUNT(*) FROM users GROUP BY level"
  sparkify sql --format json "SELECT * FROM songplays LIMIT 3"
  sparkify sql --timeout 30s "SELECT COUNT(*) FROM songplays"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Query = args[0]
			return runSQL(cmd.Context(), f, opts)
		},
	}
	addFormatFlag(cmd, &opts.Format)
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", defaultSQLTimeout, "cancel the query after this long")
	addAllowPrivilegedFlag(cmd, f)
	return cmd
}

func runSQL(ctx context.Context, f *Factory, opts *SQLOptions) error {
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return &FlagError{Err: err}
	}
	if opts.Timeout <= 0 {
		return flagErrorf("--timeout must be positive, e.g. 30s or 5m")
	}
	switch n := len(sqlset.Split(opts.Query)); {
	case n == 0:
		return flagErrorf("the query is empty")
	case n > 1:
		return flagErrorf("the query holds %d statements: 'sparkify sql' runs one at a time", n)
	}
	wh, err := f.openQueryWarehouse(ctx, warehouse.Options{StatementTimeout: opts.Timeout})
	if err != nil {
		return err
	}
	qctx, cancel := context.WithTimeout(ctx, opts.Timeout+sqlTimeoutGrace)
	defer cancel()
	res, err := warehouse.Query(qctx, wh.DB(), opts.Query)
	if err != nil {
		if errors.Is(qctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			return fmt.Errorf("the query ran longer than --timeout %s and was cancelled: %w", opts.Timeout, err)
		}
		return err
	}
	return output.Write(f.IO.Out, format, res)
}
