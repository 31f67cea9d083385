package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/escape"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/source/resolve"
)

// ETLOptions are the flags of 'sparkify etl'.
type ETLOptions struct {
	Songs       string
	Logs        string
	Stage       string
	NoFieldScan bool
	NoSign      bool
	FullRefresh bool
	MaxRejects  int64
	JSON        bool
	Wait        bool
	NoCheck     bool
	Checks      string
	Workers     int
	From, To    string
}

func newETLCmd(f *Factory) *cobra.Command {
	opts := &ETLOptions{}
	cmd := &cobra.Command{
		Use:   "etl",
		Short: "Load new and changed song and log files into the warehouse",
		Long: `Load song files and event logs into staging, then build the star schema.

Only files not loaded before (or changed since) are read; a rerun with
nothing new changes nothing. The whole load is one transaction: if it fails
or is killed, the warehouse keeps its previous state.

--songs and --logs take a local folder (searched recursively for *.json and
*.json.gz) or an s3://bucket/prefix; they default to dwh.cfg [S3] SONG_DATA
and LOG_DATA.

--from and --to load only the log files of those days (by the date in the
file name, or else the day of the file's first event): a backfill. With
--full-refresh they reload exactly those days' files, replacing their plays.`,
		Example: `  sparkify etl --songs data/song_data --logs data/log_data
  sparkify etl --no-sign-request --songs s3://udacity-dend/song_data --logs s3://udacity-dend/log_data
  sparkify etl --full-refresh --max-rejects 100
  sparkify etl --from 2018-11-05 --to 2018-11-12 --full-refresh
  sparkify etl --warehouse postgres://me@localhost:5432/sparkify --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runETL(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Songs, "songs", "", "song files: folder or s3://bucket/prefix (default dwh.cfg [S3] SONG_DATA)")
	fl.StringVar(&opts.Logs, "logs", "", "event logs: folder or s3://bucket/prefix (default dwh.cfg [S3] LOG_DATA)")
	fl.StringVar(&opts.Stage, "stage", "", "Redshift: s3://bucket/prefix for COPY manifests and uploaded local files (default dwh.cfg [S3] STAGE)")
	fl.BoolVar(&opts.NoFieldScan, "no-field-scan", false, "Redshift: do not read the S3 objects COPY reads in place to find fields outside the schema")
	addNoSignRequestFlag(cmd, &opts.NoSign)
	fl.BoolVar(&opts.FullRefresh, "full-refresh", false, "rebuild staging and the star schema from every file")
	fl.Int64Var(&opts.MaxRejects, "max-rejects", 0, "fail the load when more lines than this are rejected")
	fl.BoolVar(&opts.JSON, "json", false, "print the load result as JSON")
	fl.BoolVar(&opts.Wait, "wait", false, "wait for a load already running on the warehouse instead of failing")
	fl.BoolVar(&opts.NoCheck, "no-check", false, "skip the data-quality checks")
	fl.StringVar(&opts.Checks, "checks", "", "a file of your own data-quality checks (default dwh.cfg [SPARKIFY] CHECKS)")
	fl.IntVar(&opts.Workers, "workers", 0, "parallel file readers (default: one per CPU)")
	fl.StringVar(&opts.From, "from", "", "backfill: only log files of this day (YYYY-MM-DD) or later")
	fl.StringVar(&opts.To, "to", "", "backfill: only log files of this day (YYYY-MM-DD) or earlier")
	return cmd
}

func runETL(ctx context.Context, f *Factory, opts *ETLOptions) error {
	if opts.MaxRejects < 0 {
		return flagErrorf("--max-rejects must be 0 or more")
	}
	days, err := pipeline.ParseDateRange(opts.From, opts.To)
	if err != nil {
		return &FlagError{Err: err}
	}
	f.Flags.Songs, f.Flags.Logs, f.Flags.ChecksFile = opts.Songs, opts.Logs, opts.Checks
	f.Flags.Stage, f.Flags.NoFieldScan, f.Flags.NoSignRequest = opts.Stage, opts.NoFieldScan, opts.NoSign
	songs, logs, err := openSources(ctx, f)
	if err != nil {
		return err
	}
	wh, err := f.OpenWarehouse(ctx, false, opts.Wait)
	if err != nil {
		return err
	}
	popts := pipeline.Options{
		Songs: songs, Logs: logs,
		FullRefresh: opts.FullRefresh,
		Days:        days,
		MaxRejects:  opts.MaxRejects,
		Wait:        opts.Wait,
		Workers:     opts.Workers,
	}
	if !opts.NoCheck {
		popts.Check = checkHook(f)
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	pause := testPause(f, cfg.TestPause)
	popts.OnStep = pause
	var prog *termProgress
	if f.IO.IsStderrTTY() && !f.Quiet && !opts.JSON {
		prog = newTermProgress(f.IO.ErrOut)
		popts.Progress = prog
	}
	res, err := pipeline.Run(ctx, wh, popts)
	if err == nil {
		if perr := pause(ctx, "committed"); perr != nil {
			return perr
		}
	}
	if prog != nil {
		prog.End()
	}
	// A load that failed before it planned anything (a listing that failed)
	// is the error alone: its empty result would read "nothing new".
	interrupted := errors.Is(err, pipeline.ErrInterruptedAfterCommit)
	if res != nil && !(err != nil && res.Status == pipeline.StatusNoop) {
		if perr := printResult(f, res, opts.JSON, err != nil && !interrupted); perr != nil && err == nil {
			err = perr
		}
		if res.LoadID > 0 && res.Status == pipeline.StatusFailed && !opts.JSON {
			printRejectsPreview(ctx, f, wh, res.LoadID)
		}
	}
	switch {
	case err != nil && checksFailed(err):
		return &ExitError{Code: ExitCheckFailed, Err: err}
	case interrupted:
		return &ExitError{Code: ExitCommittedInterrupted, Err: err}
	}
	return err
}

// printResult writes the load summary: JSON when asked, a table on stdout
// otherwise, nothing with --quiet. A failed load's summary goes to stderr.
func printResult(f *Factory, res *pipeline.Result, asJSON, failed bool) error {
	if asJSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if f.Quiet {
		return nil
	}
	w := f.IO.Out
	if failed {
		w = f.IO.ErrOut
	}
	writeSummary(w, res)
	return nil
}

// maxListed is how many names (new fields) a summary line shows before
// "and N more": --json has them all.
const maxListed = 50

// writeSummary prints a load's result for a person; text from the data
// (file names, field names) is shown escaped.
func writeSummary(w io.Writer, res *pipeline.Result) {
	if res.Status == pipeline.StatusNoop {
		unchanged := 0
		for _, s := range res.Sources {
			unchanged += s.FilesUnchanged
		}
		fmt.Fprintf(w, "Nothing new to load: %s unchanged since their last load into %s.\n",
			plural(int64(unchanged), "file"), escape.Line(res.Warehouse))
		writeSkipped(w, res)
		return
	}
	var bytes int64
	for _, s := range res.Sources {
		bytes += s.Bytes
	}
	verb := "Loaded"
	if res.Status == pipeline.StatusFailed {
		verb = "Failed to load"
	}
	mode := res.Mode
	if res.Days != "" {
		mode += ", days " + res.Days
	}
	fmt.Fprintf(w, "%s %s (%s) into %s in %.2fs  [load %d, %s]\n\n", verb,
		plural(int64(res.FilesLoaded()), "file"), humanBytes(bytes), escape.Line(res.Warehouse),
		float64(res.DurationMS)/1000, res.LoadID, mode)
	src := [][]any{}
	for _, s := range res.Sources {
		src = append(src, []any{s.Kind, s.FilesListed, s.FilesNew, s.FilesChanged, s.FilesUnchanged, s.LinesRead, s.LinesLoaded, s.LinesRejected})
	}
	writeTable(w, []string{"source", "files", "new", "changed", "unchanged", "lines read", "loaded", "rejected"}, src)
	if len(res.Tables) > 0 {
		fmt.Fprintln(w)
		rows := [][]any{}
		for _, t := range res.Tables {
			rows = append(rows, []any{t.Table, t.Rows, fmt.Sprintf("%+d", t.Delta)})
		}
		writeTable(w, []string{"table", "rows", "change"}, rows)
	}
	if c, ok := res.Checks.(interface{ Summary() string }); ok {
		fmt.Fprintf(w, "\nData-quality checks: %s (details: sparkify runs --json, or sparkify check)\n", c.Summary())
	}
	for _, s := range res.Sources {
		if len(s.NewFields) > 0 {
			fmt.Fprintf(w, "\nNew fields in %s files, kept in staging's extra column: %s\n", s.Kind, escape.List(s.NewFields, maxListed))
		}
		if s.FilesRestaged > 0 {
			fmt.Fprintf(w, "\n%s staged again (unchanged, but staged together with a replaced file)\n", plural(int64(s.FilesRestaged), s.Kind+" file"))
		}
	}
	if n := res.ConflictingEvents; n > 0 {
		fmt.Fprintf(w, "\n%s arrived twice with different content (same event id): one copy of each was kept\n",
			plural(n, "event"))
	}
	writeSkipped(w, res)
}

func writeSkipped(w io.Writer, res *pipeline.Result) {
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "skipped %s %s: %s\n", s.Kind, escape.Line(s.Key), escape.Line(s.Reason))
	}
}

// testPause is the TEST-ONLY hook behind SPARKIFY_TEST_PAUSE (see
// config.Config.TestPause): with the variable set, every step the load
// reaches is announced on stderr as "sparkify-test: step NAME"; at a step
// the variable names, etl prints "sparkify-test: paused at NAME" and blocks
// until it reads a line from stdin (or stdin ends, or the command is
// cancelled). The reliability tests use it to kill the process, or stop a
// server, at a known point of a load. Unset, it does nothing.
func testPause(f *Factory, spec string) func(ctx context.Context, step string) error {
	if spec == "" {
		return func(context.Context, string) error { return nil }
	}
	steps := strings.Split(spec, ",")
	return func(ctx context.Context, step string) error {
		if !slices.Contains(steps, step) {
			fmt.Fprintf(f.IO.ErrOut, "sparkify-test: step %s\n", step)
			return nil
		}
		fmt.Fprintf(f.IO.ErrOut, "sparkify-test: paused at %s\n", step)
		resumed := make(chan struct{})
		go func() {
			var b [1]byte
			for {
				if n, err := f.IO.In.Read(b[:]); err != nil || n == 1 && b[0] == '\n' {
					close(resumed)
					return
				}
			}
		}()
		select {
		case <-resumed:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// openSources opens the configured song and log sources (either may be nil).
func openSources(ctx context.Context, f *Factory) (songs, logs source.Source, err error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	if songs, err = resolve.Open(ctx, cfg.Songs, cfg); err != nil {
		return nil, nil, err
	}
	if logs, err = resolve.Open(ctx, cfg.Logs, cfg); err != nil {
		return nil, nil, err
	}
	reportUnsigned(f, songs, logs)
	return songs, logs, nil
}
