package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/escape"
	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// RunsOptions are the flags of 'sparkify runs'.
type RunsOptions struct {
	Limit   int
	JSON    bool
	Rejects int64 // 0: list runs; -1: the latest load's rejects; n: load n's
	Files   int64 // 0: list runs; -1: the latest load's files; n: load n's
	Format  string
}

func newRunsCmd(f *Factory) *cobra.Command {
	opts := &RunsOptions{}
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "Show the history of loads, the files a load read, or the lines it rejected",
		Long: `Show past loads, newest first: when, what they read, rows per table,
rejected lines, checks, duration and outcome. --rejects shows every line a
load rejected, with file, line number and reason (the latest load that has
any when no id is given). --files lists the files a load read (new or
changed), with size, lines loaded and rejected and content fingerprint (the
latest load that read any when no id is given); a file a later load read
again is listed under that load. On a terminal the files are shown below the
load's --songs and --logs; in a pipe and in JSON, by their full URI.`,
		Example: `  sparkify runs
  sparkify runs --json
  sparkify runs --rejects        # the latest load's rejected lines
  sparkify runs --rejects=7      # load 7's
  sparkify runs --files          # the files the latest load read
  sparkify runs --files=7 --json # load 7's, as JSON`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Rejects != 0 && opts.Files != 0 {
				return &FlagError{Err: fmt.Errorf("--rejects and --files cannot be used together")}
			}
			if opts.Rejects != 0 {
				return runRejects(cmd.Context(), f, opts)
			}
			if opts.Files != 0 {
				return runFiles(cmd.Context(), f, opts)
			}
			return runRuns(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().IntVar(&opts.Limit, "limit", 20, "how many runs (or rejects, or files) to show on a terminal")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the full run records as JSON")
	cmd.Flags().Int64Var(&opts.Rejects, "rejects", 0, "show the rejected lines of a load (default: the latest)")
	cmd.Flags().Lookup("rejects").NoOptDefVal = "-1"
	cmd.Flags().Int64Var(&opts.Files, "files", 0, "show the files a load read (default: the latest)")
	cmd.Flags().Lookup("files").NoOptDefVal = "-1"
	addFormatFlag(cmd, &opts.Format)
	addAllowPrivilegedFlag(cmd, f)
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
	d, err := openRunDetail(ctx, f, opts, opts.Rejects, "rejects_latest_load")
	if err != nil {
		return err
	}
	if d.loadID == 0 {
		f.info("No load has rejected any line.")
		return nil
	}
	res, err := d.query(ctx, "rejects_list", opts)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, d.format, res)
}

// runDetail is what --rejects and --files share: the output format, the
// warehouse, and the load to show.
type runDetail struct {
	format output.Format
	wh     warehouse.Warehouse
	loadID int64 // 0: there is none
}

// openRunDetail opens the warehouse for one load's details: the load id
// given, or (id < 0) the latest the block latest names.
func openRunDetail(ctx context.Context, f *Factory, opts *RunsOptions, id int64, latest string) (*runDetail, error) {
	format, err := output.ParseFormat(opts.Format, f.IO.IsStdoutTTY())
	if err != nil {
		return nil, &FlagError{Err: err}
	}
	if opts.JSON {
		format = output.JSON
	}
	wh, err := f.OpenQueryWarehouse(ctx)
	if err != nil {
		return nil, err
	}
	d := &runDetail{format: format, wh: wh, loadID: id}
	if id < 0 {
		q, err := wh.SQL().Text(latest)
		if err != nil {
			return nil, err
		}
		if err := wh.DB().QueryRowContext(ctx, q).Scan(&d.loadID); err != nil {
			return nil, fmt.Errorf("find the latest load: %w", err)
		}
	}
	return d, nil
}

// limit is how many rows to show: --limit on a terminal, everything for
// machine-readable output.
func (d *runDetail) limit(opts *RunsOptions) int {
	if d.format != output.Table {
		return 1 << 30
	}
	return opts.Limit
}

// query runs a named block for the load, with the row limit.
func (d *runDetail) query(ctx context.Context, block string, opts *RunsOptions) (*output.Result, error) {
	q, err := d.wh.SQL().Text(block)
	if err != nil {
		return nil, err
	}
	return warehouse.Query(ctx, d.wh.DB(), q, d.loadID, d.limit(opts))
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
		fmt.Fprintf(f.IO.ErrOut, "  rejected %s:%d: %s\n", escape.Line(uri), line, escape.Line(reason))
	}
}

// runFiles lists the files a load read: a table on a terminal, TSV in a
// pipe, or JSON.
func runFiles(ctx context.Context, f *Factory, opts *RunsOptions) error {
	d, err := openRunDetail(ctx, f, opts, opts.Files, "files_latest_load")
	if err != nil {
		return err
	}
	if d.loadID == 0 {
		f.info("No load has read any file yet: run 'sparkify etl' or 'sparkify demo'.")
		return nil
	}
	res, err := d.query(ctx, "files_of_load", opts)
	if err != nil {
		return fmt.Errorf("read the loaded files: %w", err)
	}
	format, loadID, wh, limit := d.format, d.loadID, d.wh, d.limit(opts)
	if len(res.Rows) == 0 && format == output.Table {
		f.info("Load %d read no file that is still current (none, or each was read again by a later load).", loadID)
		return nil
	}
	if format == output.Table {
		// A terminal is narrow: paths relative to the load's --songs and
		// --logs, whose ends (the file names) a cut column would lose.
		var songs, logs sql.NullString
		if q, err := wh.SQL().Text("run_roots"); err == nil {
			wh.DB().QueryRowContext(ctx, q, loadID).Scan(&songs, &logs)
		}
		res.Columns[2] = "file"
		for _, row := range res.Rows {
			uri, _ := row[2].(string)
			root := songs.String
			if row[1] == pipeline.KindLog {
				root = logs.String
			}
			row[2] = relativeURI(uri, root)
		}
		if len(res.Rows) == limit {
			defer fmt.Fprintf(f.IO.ErrOut, "(the first %d files; --limit shows more, --format tsv or --json all)\n", limit)
		}
	}
	return output.Write(f.IO.Out, format, res)
}

// relativeURI is uri below root (a folder or an S3 prefix), or uri itself
// when it is not below it.
func relativeURI(uri, root string) string {
	root = strings.TrimSuffix(root, "/")
	if rest, ok := strings.CutPrefix(uri, root+"/"); ok && root != "" && rest != "" {
		return rest
	}
	return uri
}
