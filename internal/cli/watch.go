package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/watch"
)

// WatchOptions are the flags of 'sparkify watch'.
type WatchOptions struct {
	Songs, Logs string
	Interval    time.Duration
	MaxRejects  int64
	NoCheck     bool
	Checks      string
	NoSign      bool
}

func newWatchCmd(f *Factory) *cobra.Command {
	opts := &WatchOptions{}
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Load new files continuously as they arrive",
		Long: `Poll the sources every interval and load new or changed files through the
normal incremental load, one atomic load per batch, with one log line per
load. A file is loaded once it is complete: unchanged (size and modification
time, or S3 ETag) for one interval, or last written at least one interval
ago; S3 objects are written whole. Failed loads are retried with back-off
(up to 5 minutes apart). SIGINT or SIGTERM rolls back a load in progress and
exits cleanly. Only one watch runs per warehouse.

A DuckDB file is open only while a load runs, so 'sparkify sql', 'query' and
'serve' can read it between loads; a second watch finds the lock file
PATH.watch.lock beside it taken and refuses.`,
		Example: `  sparkify watch --songs data/song_data --logs data/log_data --interval 1m
  sparkify watch --logs s3://my-bucket/log_data --interval 5m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWatch(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Songs, "songs", "", "song files: folder or s3://bucket/prefix (default dwh.cfg [S3] SONG_DATA)")
	fl.StringVar(&opts.Logs, "logs", "", "event logs: folder or s3://bucket/prefix (default dwh.cfg [S3] LOG_DATA)")
	fl.DurationVar(&opts.Interval, "interval", time.Minute, "how often to look for new files")
	fl.Int64Var(&opts.MaxRejects, "max-rejects", 0, "fail a load when more lines than this are rejected")
	fl.BoolVar(&opts.NoCheck, "no-check", false, "skip the data-quality checks")
	fl.StringVar(&opts.Checks, "checks", "", "a file of your own data-quality checks")
	addNoSignRequestFlag(cmd, &opts.NoSign)
	return cmd
}

func runWatch(ctx context.Context, f *Factory, opts *WatchOptions) error {
	if opts.Interval <= 0 {
		return flagErrorf("--interval must be positive")
	}
	f.Flags.Songs, f.Flags.Logs, f.Flags.ChecksFile = opts.Songs, opts.Logs, opts.Checks
	f.Flags.NoSignRequest = opts.NoSign
	songs, logs, err := openSources(ctx, f)
	if err != nil {
		return err
	}
	if songs == nil && logs == nil {
		return pipeline.ErrNoSources
	}
	target, err := openWatchTarget(ctx, f, max(opts.Interval, minOpenWait))
	if err != nil {
		return err
	}
	var check pipeline.CheckFunc
	if !opts.NoCheck {
		check = checkHook(f)
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	pause := testPause(f, cfg.TestPause)
	f.info("Watching %s every %s; loading into %s (Ctrl-C to stop)", describeSources(songs, logs), opts.Interval, target)
	wo := watch.Options{
		Interval: opts.Interval,
		Log:      f.IO.Out,
		Load: func(ctx context.Context, filter func(string, source.Object) (bool, string)) (*pipeline.Result, error) {
			var res *pipeline.Result
			err := target.use(ctx, func(wh warehouse.Warehouse) error {
				var err error
				res, err = pipeline.Run(ctx, wh, pipeline.Options{
					Songs: songs, Logs: logs, Filter: filter, MaxRejects: opts.MaxRejects,
					Check: check, Wait: true, OnStep: pause,
				})
				return err
			})
			return res, err
		},
	}
	if target.file != "" {
		wo.Probe = func(ctx context.Context) (string, error) { return target.probe(ctx, songs, logs) }
	}
	return watch.Run(ctx, wo)
}

func describeSources(songs, logs source.Source) string {
	var s string
	for _, src := range []source.Source{songs, logs} {
		if src == nil {
			continue
		}
		if s != "" {
			s += " and "
		}
		s += src.URI()
	}
	return s
}
