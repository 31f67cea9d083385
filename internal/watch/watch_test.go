package watch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/source/local"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
	"github.com/sparkify/sparkify/internal/watch"
)

const interval = 150 * time.Millisecond

// syncBuffer is a log both the watcher and the test touch.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	wh         warehouse.Warehouse
	data       warehousetest.Data
	log        *syncBuffer
	cancel     context.CancelFunc
	done       chan error
	onStep     func(ctx context.Context, step string) error
	sampleLogs []string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	sess, err := wh.Session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Migrate(context.Background(), sess, wh.SQL()); err != nil {
		t.Fatal(err)
	}
	sess.Close()
	data := warehousetest.CopySample(t, 1)
	return &fixture{wh: wh, data: data, log: &syncBuffer{},
		sampleLogs: warehousetest.LogFiles(t, filepath.Join(testutil.SampleDir(t), "log_data"))}
}

func (f *fixture) start(t *testing.T) {
	t.Helper()
	songs, _ := local.New(f.data.Songs)
	logs, _ := local.New(f.data.Logs)
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel, f.done = cancel, make(chan error, 1)
	go func() {
		f.done <- watch.Run(ctx, watch.Options{
			Interval: interval,
			Log:      f.log,
			Load: func(ctx context.Context, filter func(string, source.Object) (bool, string)) (*pipeline.Result, error) {
				return pipeline.Run(ctx, f.wh, pipeline.Options{Songs: songs, Logs: logs, Filter: filter, OnStep: f.onStep, Wait: true})
			},
		})
	}()
}

func (f *fixture) stop(t *testing.T) {
	t.Helper()
	f.cancel()
	select {
	case err := <-f.done:
		if err != nil {
			t.Fatalf("watch returned %v, want a clean stop", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop within 10s of its context ending")
	}
}

func (f *fixture) count(t *testing.T, q string) int64 {
	t.Helper()
	var n int64
	if err := f.wh.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// eventually waits up to 10s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// linesOf counts the events in sample day n, from the raw file.
func (f *fixture) linesOf(t *testing.T, n int) int64 {
	data, err := os.ReadFile(f.sampleLogs[n-1])
	if err != nil {
		t.Fatal(err)
	}
	return int64(bytes.Count(bytes.TrimSpace(data), []byte("\n")) + 1)
}

// addDay puts sample day n into the watched folder whole, by a rename, as a
// well-behaved writer does. A plain write can stall for longer than the
// test's short interval on a busy machine: watch then rightly loads the
// part it saw, and the rest as a changed file (the in-progress writes are
// probe_test's).
func (f *fixture) addDay(t *testing.T, n int) {
	t.Helper()
	tmp := t.TempDir()
	path := warehousetest.AddSampleDay(t, warehousetest.Data{Songs: f.data.Songs, Logs: tmp}, n)
	rel, _ := filepath.Rel(tmp, path)
	dst := filepath.Join(f.data.Logs, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path, dst); err != nil {
		t.Fatal(err)
	}
}

// TestEachDayLandsOnce drops day files into the watched folder over several
// intervals; each is loaded exactly once.
func TestEachDayLandsOnce(t *testing.T) {
	f := newFixture(t)
	f.start(t)
	want := f.linesOf(t, 1)
	eventually(t, "day 1", func() bool { return f.count(t, "SELECT COUNT(*) FROM staging_events") == want })
	for day := 2; day <= 4; day++ {
		f.addDay(t, day)
		want += f.linesOf(t, day)
		eventually(t, "the new day", func() bool { return f.count(t, "SELECT COUNT(*) FROM staging_events") == want })
		time.Sleep(2 * interval) // more polls: nothing may load twice
	}
	f.stop(t)
	if n := f.count(t, "SELECT COUNT(*) FROM staging_events"); n != want {
		t.Errorf("staging holds %d events, the 4 day files %d", n, want)
	}
	if n := f.count(t, "SELECT COUNT(*) FROM sparkify_files WHERE kind = 'log'"); n != 4 {
		t.Errorf("%d log files recorded, want 4", n)
	}
	if n := f.count(t, "SELECT COUNT(*) FROM sparkify_runs WHERE status = 'succeeded'"); n != 4 {
		t.Errorf("%d loads, want one per day", n)
	}
	o := warehousetest.NewOracle(t, f.data.Songs, f.data.Logs)
	if n := f.count(t, "SELECT COUNT(*) FROM songplays"); n != int64(len(o.Plays)) {
		t.Errorf("songplays %d, the files hold %d plays", n, len(o.Plays))
	}
}

// TestHalfWrittenFileWaits appends to a file slowly: it must not be loaded
// until it stops changing.
func TestHalfWrittenFileWaits(t *testing.T) {
	f := newFixture(t)
	f.start(t)
	eventually(t, "day 1", func() bool { return f.count(t, "SELECT COUNT(*) FROM staging_events") == f.linesOf(t, 1) })
	runs := f.count(t, "SELECT COUNT(*) FROM sparkify_runs")
	full, _ := os.ReadFile(f.sampleLogs[1])
	lines := bytes.SplitAfter(full, []byte("\n"))
	dst := filepath.Join(f.data.Logs, "2018", "11", filepath.Base(f.sampleLogs[1]))
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	// Ten chunks, one every third of an interval: always changing.
	chunk := len(lines)/10 + 1
	for i := 0; i < len(lines); i += chunk {
		for _, l := range lines[i:min(i+chunk, len(lines))] {
			out.Write(l)
		}
		time.Sleep(interval / 3)
		if n := f.count(t, "SELECT COUNT(*) FROM sparkify_runs"); n != runs {
			t.Fatalf("a load ran while the file was still being written:\n%s", f.log.String())
		}
	}
	out.Close()
	want := f.linesOf(t, 1) + f.linesOf(t, 2)
	eventually(t, "the finished file", func() bool { return f.count(t, "SELECT COUNT(*) FROM staging_events") == want })
	time.Sleep(2 * interval)
	f.stop(t)
	var lines2 int64
	f.wh.DB().QueryRow("SELECT lines FROM sparkify_files WHERE uri = ?", dst).Scan(&lines2)
	if lines2 != f.linesOf(t, 2) {
		t.Errorf("the file was recorded with %d lines, it has %d", lines2, f.linesOf(t, 2))
	}
	rows, _ := f.wh.DB().Query("SELECT summary FROM sparkify_runs")
	defer rows.Close()
	for rows.Next() {
		var summary string
		rows.Scan(&summary)
		var res pipeline.Result
		json.Unmarshal([]byte(summary), &res)
		if s := res.Source("log"); s != nil && s.FilesChanged > 0 {
			t.Errorf("load %d replaced a file: it had been loaded half-written", res.LoadID)
		}
	}
}

// TestStopMidLoadRollsBack stops the watch while a load is paused after
// staging: nothing of it is committed, and the next watch loads it.
func TestStopMidLoadRollsBack(t *testing.T) {
	f := newFixture(t)
	paused := make(chan struct{}, 1)
	f.onStep = func(ctx context.Context, step string) error {
		if step == pipeline.StepStaged {
			paused <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}
	f.start(t)
	select {
	case <-paused:
	case <-time.After(10 * time.Second):
		t.Fatal("the load never reached the staged step")
	}
	f.stop(t)
	for _, table := range []string{"staging_events", "songplays", "users"} {
		if n := f.count(t, "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("%s has %d rows after a stopped load", table, n)
		}
	}
	if !bytes.Contains([]byte(f.log.String()), []byte("stopped")) {
		t.Errorf("log does not say it stopped:\n%s", f.log.String())
	}
	f.onStep = nil
	f.start(t)
	eventually(t, "the load after restart", func() bool { return f.count(t, "SELECT COUNT(*) FROM staging_events") == f.linesOf(t, 1) })
	f.stop(t)
}

// TestBacksOffOnTransientErrors keeps going after failures, waiting longer
// each time, and recovers.
func TestBacksOffOnTransientErrors(t *testing.T) {
	var waits []time.Duration
	calls := 0
	ctx, cancel := context.WithCancel(context.Background())
	log := &syncBuffer{}
	err := watch.Run(ctx, watch.Options{
		Interval: time.Second,
		Log:      log,
		Load: func(context.Context, func(string, source.Object) (bool, string)) (*pipeline.Result, error) {
			calls++
			if calls <= 3 {
				return nil, errors.New("dial tcp 127.0.0.1:5432: connection refused")
			}
			return &pipeline.Result{Status: pipeline.StatusNoop}, nil
		},
		Sleep: func(_ context.Context, d time.Duration) error {
			waits = append(waits, d)
			if len(waits) == 5 {
				cancel()
				return context.Canceled
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, time.Second, time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("wait %d = %s, want %s (all %v)", i, waits[i], want[i], waits)
		}
	}
	if n := bytes.Count([]byte(log.String()), []byte("connection refused")); n != 3 {
		t.Errorf("%d failures logged, want 3:\n%s", n, log.String())
	}
}
