package cli

import (
	"context"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/monitor"
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
	MetricsAddr string
	AllowRemote bool
	LogFormat   string

	// For tests: onListen learns the metrics address; onPoll every poll.
	onListen func(net.Addr)
	onPoll   func(watch.Event)
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
PATH.watch.lock beside it taken and refuses.

--metrics-addr serves Prometheus metrics at /metrics (loads by status,
lines loaded and rejected by kind, load durations, the last success, files
held back) and /healthz: 200 while the latest poll succeeded or the last
success is under 3 intervals old, else 503 with the reason. It listens on
the loopback interface only, unless --allow-remote. --log-format json
writes one JSON object per event, for log shippers.`,
		Example: `  sparkify watch --songs data/song_data --logs data/log_data --interval 1m
  sparkify watch --logs s3://my-bucket/log_data --interval 5m
  sparkify watch --metrics-addr 127.0.0.1:9464 --log-format json`,
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
	fl.StringVar(&opts.MetricsAddr, "metrics-addr", "", "serve Prometheus metrics at /metrics and health at /healthz on host:port (e.g. 127.0.0.1:9464)")
	fl.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow a --metrics-addr other machines can reach (it has no login)")
	fl.StringVar(&opts.LogFormat, "log-format", "text", "log events as text lines or json (one object per event, for log shippers)")
	return cmd
}

func runWatch(ctx context.Context, f *Factory, opts *WatchOptions) error {
	if opts.Interval <= 0 {
		return flagErrorf("--interval must be positive")
	}
	logger, err := watchLogger(opts.LogFormat, f.IO.Out)
	if err != nil {
		return err
	}
	if opts.MetricsAddr == "" && opts.AllowRemote {
		return flagErrorf("--allow-remote applies to --metrics-addr, which is not set")
	}
	if opts.MetricsAddr != "" {
		if err := checkListenAddr("--metrics-addr", opts.MetricsAddr, opts.AllowRemote, "the metrics"); err != nil {
			return err
		}
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
	var observe func(watch.Event)
	if opts.MetricsAddr != "" {
		m := monitor.New(opts.Interval, f.Now)
		if err := startMetrics(ctx, f, m, opts.MetricsAddr, opts.AllowRemote, opts.onListen); err != nil {
			return err
		}
		observe = m.Observe
	}
	if logger == nil {
		f.info("Watching %s every %s; loading into %s (Ctrl-C to stop)", describeSources(songs, logs), opts.Interval, target)
	} else {
		logger.Info("watching", "sources", describeSources(songs, logs), "interval_seconds", opts.Interval.Seconds(), "warehouse", target.String())
	}
	wo := watch.Options{
		Interval: opts.Interval,
		Log:      f.IO.Out,
		Logger:   logger,
		OnPoll:   chainPoll(observe, opts.onPoll),
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
