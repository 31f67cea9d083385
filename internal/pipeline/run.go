// Package pipeline is the load: list the sources, stage new and changed
// files in parallel through the warehouse's bulk path, transform staging
// into the star schema, check it, and commit it all at once, with a record
// of the run.
package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// Modes of a load.
const (
	ModeIncremental = "incremental"
	ModeFullRefresh = "full-refresh"
)

// CheckFunc runs data-quality checks on the loaded, not yet committed data,
// and may store their results through the session. report is stored with
// the run; failed makes Run return ErrChecksFailed after committing; err
// means the checks could not run, which fails the load.
type CheckFunc func(ctx context.Context, sess warehouse.Session, loadID int64) (report any, failed bool, err error)

// Options configure a load.
type Options struct {
	Songs source.Source // nil: no song files this run
	Logs  source.Source // nil: no log files this run
	// FullRefresh empties staging and the star first and reads every file;
	// with Days, it reloads exactly the log files of those days instead.
	FullRefresh bool
	// Days limits the log files to a range of days: a backfill.
	Days *DateRange
	// Filter, if set, can hold a listed file back from this load (watch
	// uses it for files still being written); the reason is reported.
	Filter func(kind string, obj source.Object) (ok bool, reason string)
	// MaxRejects is how many lines may be rejected before the load fails.
	MaxRejects int64
	// Wait waits for a running load instead of failing.
	Wait bool
	// Workers is the number of file readers; 0 means one per CPU.
	Workers int
	// Progress hears how the load advances; nil shows nothing.
	Progress Progress
	// Check runs the data-quality checks; nil skips them.
	Check CheckFunc
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnStep, if set, is called as the load reaches each step (see the Step
	// constants); an error fails the load there. It is the seam tests use
	// to interrupt a load at a known point.
	OnStep func(ctx context.Context, step string) error
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// Run loads new and changed files into the warehouse. It returns the result
// even when the load fails; a failed load changes no data, and its run and
// rejects are recorded.
func Run(ctx context.Context, wh warehouse.Warehouse, opts Options) (*Result, error) {
	if opts.Songs == nil && opts.Logs == nil {
		return nil, ErrNoSources
	}
	if opts.Progress == nil {
		opts.Progress = NoProgress{}
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	res := &Result{Status: StatusNoop, Mode: ModeIncremental, StartedAt: opts.now(), Warehouse: wh.String()}
	if opts.FullRefresh {
		res.Mode = ModeFullRefresh
	}
	if opts.Days != nil {
		res.Days = opts.Days.String()
	}
	sess, err := wh.Session(ctx)
	if err != nil {
		return res, stepErr("connect", 0, err)
	}
	defer sess.Close()
	if err := sess.Lock(ctx, opts.Wait); err != nil {
		return res, err
	}
	set := wh.SQL()
	if _, err := Migrate(ctx, sess, set); err != nil {
		return res, stepErr("schema", 0, err)
	}
	po := planOptions{fullRefresh: opts.FullRefresh, days: opts.Days, filter: opts.Filter}
	p, err := makePlan(ctx, sess, set, map[string]source.Source{KindSong: opts.Songs, KindLog: opts.Logs}, po)
	if err != nil {
		return res, stepErr("list", 0, err)
	}
	for _, kind := range []string{KindSong, KindLog} {
		if sr := p.sources[kind]; sr != nil {
			res.Sources = append(res.Sources, *sr)
		}
	}
	res.Skipped = p.skipped
	if p.empty() && (!opts.FullRefresh || opts.Days != nil) {
		res.FinishedAt = opts.now()
		res.DurationMS = res.FinishedAt.Sub(res.StartedAt).Milliseconds()
		return res, nil
	}

	var loadID int64
	if err := sess.Conn().QueryRowContext(ctx, mustText(set, "next_load_id")).Scan(&loadID); err != nil {
		return res, stepErr("start", 0, err)
	}
	res.LoadID = loadID
	p.assignIDs(loadID)
	rejects := newRejectLog()
	defer rejects.Close()

	l := &load{sess: sess, set: set, opts: &opts, plan: p, res: res, rejects: rejects, loadID: loadID}
	loadErr := l.run(ctx)
	res.FinishedAt = opts.now()
	res.DurationMS = res.FinishedAt.Sub(res.StartedAt).Milliseconds()
	if loadErr == nil {
		res.Status = StatusSucceeded
		if l.checksFailed {
			return res, fmt.Errorf("load %d committed, but %w: see 'sparkify runs' or 'sparkify check'", loadID, ErrChecksFailed)
		}
		if ctx.Err() != nil {
			return res, fmt.Errorf("load %d: %w", loadID, ErrInterruptedAfterCommit)
		}
		return res, nil
	}
	res.Status = StatusFailed
	res.Error = loadErr.Error()
	if rerr := l.recordFailure(context.WithoutCancel(ctx)); rerr != nil {
		loadErr = fmt.Errorf("%w (and recording the failed run failed too: %v)", loadErr, rerr)
	}
	return res, loadErr
}

// load is one load attempt's state.
type load struct {
	sess    warehouse.Session
	set     *sqlset.Set
	opts    *Options
	plan    *plan
	res     *Result
	rejects *rejectLog
	loadID  int64
	before  map[string]int64

	checksFailed bool
}

// run does the whole load inside one transaction; or, on engines that
// keep staged rows out of sight until the load marks them visible
// (warehouse.StagingCommitter), in two: staging, then everything else.
func (l *load) run(ctx context.Context) error {
	twoPhase := false
	if sc, ok := l.sess.(warehouse.StagingCommitter); ok && sc.StagesInOwnTransaction() {
		if err := l.stageCommitted(ctx); err != nil {
			return err
		}
		twoPhase = true
	}
	if err := l.sess.Begin(ctx); err != nil {
		return stepErr("begin", l.loadID, err)
	}
	committed := false
	defer func() {
		if !committed {
			l.sess.Rollback(ctx)
		}
	}()
	if _, err := execBlock(ctx, l.sess, l.set, "load_settings"); err != nil {
		return stepErr("begin", l.loadID, err)
	}
	var err error
	if l.before, err = l.counts(ctx); err != nil {
		return stepErr("count", l.loadID, err)
	}
	if l.opts.FullRefresh && l.opts.Days == nil {
		// $1 spares this load's own rows where they are staged already.
		if _, err := execBlock(ctx, l.sess, l.set, "full_refresh", l.loadID); err != nil {
			return stepErr("full refresh", l.loadID, err)
		}
	}
	if err := l.prepare(ctx); err != nil {
		return stepErr("prepare", l.loadID, err)
	}
	if twoPhase {
		if _, err := execBlock(ctx, l.sess, l.set, "staging_mark_visible", l.loadID); err != nil {
			return stepErr("stage", l.loadID, err)
		}
	} else if err := l.stageChecked(ctx); err != nil {
		return err
	}
	if err := l.recordFiles(ctx); err != nil {
		return stepErr("stage", l.loadID, err)
	}
	if !twoPhase {
		if err := l.step(ctx, StepStaged); err != nil {
			return err
		}
	}
	l.opts.Progress.Step("transform")
	if err := l.timed("transform", func() error { return l.transform(ctx) }); err != nil {
		return stepErr("transform", l.loadID, err)
	}
	if err := l.step(ctx, StepTransformed); err != nil {
		return err
	}
	if err := l.tableCounts(ctx); err != nil {
		return stepErr("count", l.loadID, err)
	}
	if l.opts.Check != nil {
		// Checks see the loaded data inside the transaction; their results
		// are committed with it. A failed check is reported, not rolled
		// back: the data is what the sources say, and the run says it is wrong.
		l.opts.Progress.Step("check")
		var report any
		var failed bool
		err := l.timed("check", func() error {
			var err error
			report, failed, err = l.opts.Check(ctx, l.sess, l.loadID)
			return err
		})
		l.res.Checks = report
		if err != nil {
			return stepErr("check", l.loadID, err)
		}
		l.checksFailed = failed
	}
	l.opts.Progress.Step("commit")
	if err := l.record(ctx, StatusSucceeded); err != nil {
		return stepErr("commit", l.loadID, err)
	}
	if _, err := execBlock(ctx, l.sess, l.set, "load_end"); err != nil {
		return stepErr("commit", l.loadID, err)
	}
	if err := l.step(ctx, StepCommit); err != nil {
		return err
	}
	// Once COMMIT has begun it runs to its end, interrupt or not: cancelled
	// midway, an engine may report the interrupt for a COMMIT that went
	// through (DuckDB did), and the load would be recorded as failed as
	// well as succeeded. Run reports an interrupt that came meanwhile.
	if err := l.timed("commit", func() error { return l.sess.Commit(context.WithoutCancel(ctx)) }); err != nil {
		return stepErr("commit", l.loadID, err)
	}
	committed = true
	return nil
}

// stageChecked reads the files into staging and fails the load when too
// many lines were rejected.
func (l *load) stageChecked(ctx context.Context) error {
	if err := l.step(ctx, StepStage); err != nil {
		return err
	}
	if err := l.stage(ctx); err != nil {
		return stepErr("stage", l.loadID, err)
	}
	if n := l.rejects.Count(); n > l.opts.MaxRejects {
		return fmt.Errorf("%w: %d line(s) rejected, more than --max-rejects %d; nothing was committed",
			ErrTooManyRejects, n, l.opts.MaxRejects)
	}
	return nil
}

// stageCommitted stages the files in a transaction of its own, first
// deleting the staged rows of loads that never completed. The rows it
// commits stay out of sight until the second transaction marks them
// visible.
func (l *load) stageCommitted(ctx context.Context) error {
	if err := l.sess.Begin(ctx); err != nil {
		return stepErr("begin", l.loadID, err)
	}
	if _, err := execBlock(ctx, l.sess, l.set, "staging_cleanup"); err != nil {
		l.sess.Rollback(ctx)
		return stepErr("stage", l.loadID, err)
	}
	if err := l.stageChecked(ctx); err != nil {
		l.sess.Rollback(ctx)
		return err
	}
	if err := l.timed("commit staging", func() error { return l.sess.Commit(ctx) }); err != nil {
		return stepErr("stage", l.loadID, err)
	}
	return l.step(ctx, StepStaged)
}

// Steps of a load, as reported to Options.OnStep.
const (
	StepStage        = "stage"        // about to read the files
	StepStaging      = "staging"      // the song files (if any) staged, the log files not yet read
	StepStaged       = "staged"       // every file staged, the star not yet touched
	StepTransforming = "transforming" // songplays rebuilt, time and users not yet
	StepTransformed  = "transformed"  // the star rebuilt, not yet checked or committed
	StepCommit       = "commit"       // the run recorded, about to commit
)

// timed runs fn and records how long it took under name.
func (l *load) timed(name string, fn func() error) error {
	start := time.Now()
	err := fn()
	l.res.Timings = append(l.res.Timings, StepTiming{Step: name, MS: time.Since(start).Milliseconds()})
	return err
}

func (l *load) step(ctx context.Context, name string) error {
	if l.opts.OnStep == nil {
		return nil
	}
	return stepErr(name, l.loadID, l.opts.OnStep(ctx, name))
}

// prepare sets up the load's temporary tables and removes the old versions
// of changed files.
func (l *load) prepare(ctx context.Context) error {
	if _, err := execBlock(ctx, l.sess, l.set, "load_begin"); err != nil {
		return err
	}
	if len(l.plan.replaced) == 0 {
		return nil
	}
	for _, id := range l.plan.replaced {
		if _, err := execBlock(ctx, l.sess, l.set, "load_replace_file", id); err != nil {
			return err
		}
	}
	_, err := execBlock(ctx, l.sess, l.set, "load_replace")
	return err
}

// stage reads both sources into staging.
func (l *load) stage(ctx context.Context) error {
	for i, kind := range []string{KindSong, KindLog} {
		if kind == KindLog {
			if err := l.step(ctx, StepStaging); err != nil {
				return err
			}
		}
		tasks := l.plan.tasks[kind]
		if len(tasks) == 0 {
			continue
		}
		var bytes int64
		for _, t := range tasks {
			bytes += t.obj.Size
		}
		l.opts.Progress.Begin("stage "+kind+" files", len(tasks), bytes)
		st := &stager{loadID: l.loadID, workers: l.opts.Workers, rejects: l.rejects, progress: l.opts.Progress, fields: map[string]struct{}{}}
		var newFields []string
		err := l.timed("stage "+kind+" files", func() error {
			if fs, ok := l.sess.(warehouse.FileStager); ok {
				var err error
				newFields, err = l.stageOnServer(ctx, fs, kind, tasks)
				return err
			}
			_, err := st.stage(ctx, l.sess, kind, tasks)
			newFields = st.newFields()
			return err
		})
		// What was read is reported even when staging failed: the failed
		// run's record counts the lines it rejected.
		sr := &l.res.Sources[l.sourceIndex(kind, i)]
		for _, t := range tasks {
			sr.Bytes += t.obj.Size
			sr.LinesRead += t.lines
			sr.LinesLoaded += t.loaded
			sr.LinesRejected += t.rejected
		}
		sr.NewFields = newFields
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *load) sourceIndex(kind string, fallback int) int {
	for i := range l.res.Sources {
		if l.res.Sources[i].Kind == kind {
			return i
		}
	}
	return fallback
}
