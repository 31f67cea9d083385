// Package watch loads new files continuously: it polls the sources every
// interval and runs one ordinary incremental load per batch of files that
// are complete, backing off when the warehouse or a source is briefly away.
package watch

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source"
)

// LoadFunc runs one incremental load that reads only the files filter
// accepts.
type LoadFunc func(ctx context.Context, filter func(kind string, obj source.Object) (bool, string)) (*pipeline.Result, error)

// Options configure a watch.
type Options struct {
	Interval time.Duration
	Load     LoadFunc
	// Log gets one line per load, failure and back-off.
	Log io.Writer
	// Logger, when set, gets the same events as structured records instead
	// of Log's lines (--log-format json).
	Logger *slog.Logger
	// OnPoll, when set, learns what every finished poll did (metrics,
	// health, tests waiting for a poll).
	OnPoll func(Event)
	// MaxBackoff caps the wait after consecutive failures (default 5m).
	MaxBackoff time.Duration
	// Probe, if set, describes cheaply what the next Load would look at (the
	// sources' listing, the warehouse file's size and time) without opening
	// the warehouse. A poll whose probe equals the probe of the last poll
	// that loaded cleanly (no error, no file held back) skips Load: nothing
	// can have changed, and the warehouse stays closed for readers.
	Probe func(ctx context.Context) (string, error)
	// Now and Sleep are the clock; tests make them fast.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Event is what one finished poll did.
type Event struct {
	// Start and End bracket the poll.
	Start, End time.Time
	// Result is the load's result; nil when the poll was skipped (nothing
	// changed) or failed before a load ran.
	Result *pipeline.Result
	// Err is why the poll failed; nil when it succeeded.
	Err error
	// Failures counts consecutive transient failures, this one included.
	Failures int
	// Wait is the pause before the next poll.
	Wait time.Duration
}

// Run polls until ctx ends (SIGINT/SIGTERM), then returns nil: a load in
// progress is rolled back by the cancellation and the warehouse stays as
// it was before it.
func Run(ctx context.Context, o Options) error {
	if o.Interval <= 0 {
		return errors.New("watch: the interval must be positive")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	p := &poller{o: &o, st: &stability{interval: o.Interval, now: o.Now, seen: map[string]string{}}}
	failures := 0
	lg := &eventLog{w: o.Log, logger: o.Logger}
	for {
		start := o.Now()
		res, err := p.poll(ctx)
		if ctx.Err() != nil {
			if errors.Is(err, pipeline.ErrInterruptedAfterCommit) {
				lg.result(o.Now(), res) // it committed before the stop
			}
			lg.stopped(o.Now())
			return nil
		}
		wait := o.Interval
		switch {
		case err != nil && transient(err):
			failures++
			wait = min(o.MaxBackoff, o.Interval<<min(failures, 10))
			lg.retry(o.Now(), failures, wait, err)
		case err != nil:
			failures = 0
			lg.result(o.Now(), res)
			lg.failed(o.Now(), err)
		default:
			failures = 0
			lg.result(o.Now(), res)
		}
		if o.OnPoll != nil {
			o.OnPoll(Event{Start: start, End: o.Now(), Result: res, Err: err, Failures: failures, Wait: wait})
		}
		if err := o.Sleep(ctx, wait); err != nil {
			lg.stopped(o.Now())
			return nil
		}
	}
}

// poller runs one poll at a time, remembering what the last clean one saw.
type poller struct {
	o     *Options
	st    *stability
	clean string // the probe of the last clean load; "" forces a load
}

// poll loads what is new, unless the probe shows nothing changed since the
// last clean load; a skipped poll returns a nil result.
func (p *poller) poll(ctx context.Context) (*pipeline.Result, error) {
	probe := ""
	if p.o.Probe != nil {
		var err error
		if probe, err = p.o.Probe(ctx); err != nil {
			return nil, err
		}
		if probe != "" && probe == p.clean {
			return nil, nil
		}
	}
	res, err := p.o.Load(ctx, p.st.filter)
	held := p.st.endPoll()
	p.clean = ""
	if err == nil && !held {
		p.clean = probe
	}
	return res, err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// transient reports whether to retry an error soon with back-off (the
// warehouse busy or away, a source unreachable, anything unexpected) rather
// than at the next interval (bad input over --max-rejects, failed checks:
// retrying sooner would not help).
func transient(err error) bool {
	return !errors.Is(err, pipeline.ErrTooManyRejects) && !errors.Is(err, pipeline.ErrChecksFailed)
}

// stability holds back files that may still be being written: a file is
// loaded once it looks the same (size and mtime, or ETag) at two polls one
// interval apart, or was last modified at least one interval ago.
type stability struct {
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	seen    map[string]string // uri -> version at the previous poll
	current map[string]string
	held    bool // a file was held back this poll
}

func (s *stability) filter(kind string, obj source.Object) (bool, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		s.current = map[string]string{}
	}
	s.current[obj.URI] = obj.Version
	if prev, ok := s.seen[obj.URI]; ok && prev == obj.Version {
		return true, ""
	}
	if !obj.ModTime.IsZero() && s.now().Sub(obj.ModTime) >= s.interval {
		return true, ""
	}
	s.held = true
	return false, "still being written: loaded once unchanged for one interval"
}

// endPoll makes this poll's observations the reference for the next and
// reports whether the poll held a file back.
func (s *stability) endPoll() (held bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	held, s.held = s.held, false
	if s.current != nil {
		s.seen, s.current = s.current, nil
	}
	return held
}
