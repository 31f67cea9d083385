package watch_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/watch"
)

// TestProbeSkipsUnchangedPolls: a poll whose probe matches the last clean
// load's skips the load; a changed probe, a failed load or a file held back
// makes the next poll load again.
func TestProbeSkipsUnchangedPolls(t *testing.T) {
	now := time.Date(2018, 11, 30, 12, 0, 0, 0, time.UTC)
	type poll struct {
		probe  string
		fail   bool // the load fails
		fresh  bool // the load lists a file written just now
		loaded bool // want Load called
	}
	polls := []poll{
		{probe: "a", loaded: true},
		{probe: "a"},
		{probe: "a"},
		{probe: "b", loaded: true},
		{probe: "b"},
		{probe: "c", fail: true, loaded: true},
		{probe: "c", loaded: true},
		{probe: "c"},
		{probe: "d", fresh: true, loaded: true},
		{probe: "d", loaded: true},
		{probe: "d"},
	}
	i, loads := 0, []int{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := watch.Run(ctx, watch.Options{
		Interval: time.Minute,
		Log:      &syncBuffer{},
		Now:      func() time.Time { return now },
		Probe:    func(context.Context) (string, error) { return polls[i].probe, nil },
		Load: func(_ context.Context, filter func(string, source.Object) (bool, string)) (*pipeline.Result, error) {
			loads = append(loads, i)
			mod := now.Add(-time.Hour)
			if polls[i].fresh {
				mod = now
			}
			filter("log", source.Object{URI: "day.json", Version: polls[i].probe, ModTime: mod})
			if polls[i].fail {
				return nil, errors.New("connection refused")
			}
			return &pipeline.Result{Status: pipeline.StatusNoop}, nil
		},
		Sleep: func(context.Context, time.Duration) error {
			if i++; i == len(polls) {
				cancel()
				return context.Canceled
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for n, p := range polls {
		if p.loaded {
			want = append(want, n)
		}
	}
	if len(loads) != len(want) {
		t.Fatalf("loads at polls %v, want %v", loads, want)
	}
	for n := range want {
		if loads[n] != want[n] {
			t.Fatalf("loads at polls %v, want %v", loads, want)
		}
	}
}

// TestLogEscapesControlCharacters: a load error that quotes a file name
// with terminal control codes is logged on one line, the codes escaped.
func TestLogEscapesControlCharacters(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &syncBuffer{}
	err := watch.Run(ctx, watch.Options{
		Interval: time.Minute,
		Log:      log,
		Load: func(context.Context, func(string, source.Object) (bool, string)) (*pipeline.Result, error) {
			return nil, errors.New("read evil\x1b]0;pwned\x07.json:\nbad")
		},
		Sleep: func(context.Context, time.Duration) error { cancel(); return context.Canceled },
	})
	if err != nil {
		t.Fatal(err)
	}
	got := log.String()
	if !strings.Contains(got, `read evil\x1b]0;pwned\x07.json:\nbad`) || strings.ContainsAny(got, "\x1b\x07") {
		t.Errorf("log %q", got)
	}
}
