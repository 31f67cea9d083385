package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/output"
)

// QueryOptions are the flags of 'sparkify query'.
type QueryOptions struct {
	Name   string
	User   string
	Year   int
	Limit  int
	Format string
	List   bool
	// From, To (YYYY-MM-DD, both included) and Level bound the queries
	// that take them (sessions, churn, engagement, conversions).
	From, To, Level string
}

func newQueryCmd(f *Factory) *cobra.Command {
	opts := &QueryOptions{}
	cmd := &cobra.Command{
		Use:   "query NAME [USER]",
		Short: "Answer an analyst's question with a named query",
		Long: `Run one of sparkify's named queries against the warehouse.

top-songs and top-artists are the original project's example queries: the
top 5 songs and artists played in a year. --year defaults to the latest year
with plays. 'sparkify query --list' shows them all.`,
		Example: `  sparkify query --list
  sparkify query top-songs --year 2018
  sparkify query plays-by-hour --format csv > hours.csv
  sparkify query sessions --from 2018-11-05 --to 2018-11-11 --level paid
  sparkify query retention --format csv > retention.csv`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.List {
				return listQueries(f, opts)
			}
			if len(args) == 0 {
				return flagErrorf("name a query, or pass --list to see them")
			}
			opts.Name = args[0]
			if len(args) > 1 {
				opts.User = args[1]
			}
			return runQuery(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.List, "list", false, "list the named queries")
	cmd.Flags().IntVar(&opts.Year, "year", 0, "year of plays (default: the latest year with plays)")
	cmd.Flags().IntVar(&opts.Limit, "limit", analytics.DefaultLimit, "rows for top-N queries")
	cmd.Flags().StringVar(&opts.From, "from", "", "first day, YYYY-MM-DD (queries with days: sessions, churn, engagement, conversions)")
	cmd.Flags().StringVar(&opts.To, "to", "", "last day, YYYY-MM-DD, included")
	cmd.Flags().StringVar(&opts.Level, "level", "", "free or paid (sessions: the level a session ended at)")
	addFormatFlag(cmd, &opts.Format)
	addAllowPrivilegedFlag(cmd, f)
	return cmd
}

func addFormatFlag(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "format", "", "output format: table, tsv, csv or json (default: table on a terminal, tsv in a pipe)")
}

func listQueries(f *Factory, opts *QueryOptions) error {
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return &FlagError{Err: err}
	}
	res := &output.Result{Columns: []string{"name", "description"}}
	for _, q := range analytics.List() {
		res.Rows = append(res.Rows, []any{q.Name, q.Description})
	}
	return output.Write(f.IO.Out, format, res)
}

func runQuery(ctx context.Context, f *Factory, opts *QueryOptions) error {
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return &FlagError{Err: err}
	}
	q, err := analytics.Get(opts.Name)
	if err != nil {
		return &FlagError{Err: err}
	}
	if q.Uses("user") && opts.User == "" {
		return flagErrorf("query %s needs a user id: sparkify query %s USER", q.Name, q.Name)
	}
	if opts.Limit <= 0 {
		return flagErrorf("--limit must be 1 or more")
	}
	args := analytics.Args{Year: opts.Year, Limit: opts.Limit, User: opts.User, Level: opts.Level}
	if err := queryBounds(q, opts, &args); err != nil {
		return err
	}
	wh, err := f.OpenQueryWarehouse(ctx)
	if err != nil {
		return err
	}
	res, err := analytics.Run(ctx, wh.DB(), q, args)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, format, res)
}

// queryBounds checks --from, --to and --level against what the query takes
// and sets them in args.
func queryBounds(q *analytics.Query, opts *QueryOptions, args *analytics.Args) error {
	for _, b := range []struct {
		flag, value string
		dst         *time.Time
	}{{"from", opts.From, &args.From}, {"to", opts.To, &args.To}} {
		if b.value == "" {
			continue
		}
		if !q.Uses(b.flag) {
			return flagErrorf("query %s has no --%s", q.Name, b.flag)
		}
		d, err := time.Parse(time.DateOnly, b.value)
		if err != nil {
			return flagErrorf("--%s %q: want a day as YYYY-MM-DD", b.flag, b.value)
		}
		*b.dst = d
	}
	if opts.Level != "" {
		if !q.Uses("level") {
			return flagErrorf("query %s has no --level", q.Name)
		}
		if opts.Level != "free" && opts.Level != "paid" {
			return flagErrorf("--level %q: want free or paid", opts.Level)
		}
	}
	return nil
}
