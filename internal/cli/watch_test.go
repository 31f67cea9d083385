package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/iostreams"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

const watchInterval = 150 * time.Millisecond

// runningWatch is 'sparkify watch' running in-process.
type runningWatch struct {
	cancel context.CancelFunc
	done   chan result
}

// startWatch runs 'sparkify watch' on data into the warehouse flag wh.
func startWatch(t *testing.T, data warehousetest.Data, wh []string) *runningWatch {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	f := NewFactory(io, func(string) string { return "" })
	args := append([]string{"watch", "--songs", data.Songs, "--logs", data.Logs,
		"--interval", watchInterval.String()}, wh...)
	ctx, cancel := context.WithCancel(context.Background())
	w := &runningWatch{cancel: cancel, done: make(chan result, 1)}
	go func() {
		code := Execute(ctx, f, args)
		w.done <- result{out: out.String(), err: errOut.String(), code: code}
	}()
	t.Cleanup(func() { w.stop(t) })
	return w
}

// stop ends the watch and returns how it ended.
func (w *runningWatch) stop(t *testing.T) result {
	t.Helper()
	w.cancel()
	select {
	case r, ok := <-w.done:
		if ok {
			close(w.done)
		}
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("the watch did not stop within 10s")
		return result{}
	}
}

// countPlays runs 'sparkify sql' for the number of plays.
func countPlays(t *testing.T, wh []string) (int64, result) {
	t.Helper()
	r := runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT COUNT(*) AS n FROM songplays"}, wh...)...)
	if r.code != 0 {
		return -1, r
	}
	lines := strings.Fields(strings.TrimSpace(r.out))
	n, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		t.Fatalf("sql printed %q: %v", r.out, err)
	}
	return n, r
}

// waitForPlays waits until 'sparkify sql' sees want plays.
func waitForPlays(t *testing.T, wh []string, want int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, r := countPlays(t, wh)
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("songplays never reached %d (last %d, exit %d: %s)", want, n, r.code, r.err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWatchLeavesWarehouseReadable: while the watch waits for new files,
// 'sparkify sql' reads the DuckDB file every time; each new day appears,
// loaded exactly once.
func TestWatchLeavesWarehouseReadable(t *testing.T) {
	data := warehousetest.CopySample(t, 1)
	wh := tempWarehouse(t)
	w := startWatch(t, data, wh)
	waitForPlays(t, wh, int64(len(warehousetest.NewOracle(t, data.Songs, data.Logs).Plays)))
	for day := 2; day <= 3; day++ {
		warehousetest.AddSampleDay(t, data, day)
		want := int64(len(warehousetest.NewOracle(t, data.Songs, data.Logs).Plays))
		waitForPlays(t, wh, want)
		// Idle now: every read over several polls must get through.
		for i := 0; i < 15; i++ {
			n, r := countPlays(t, wh)
			if n != want {
				t.Fatalf("day %d, idle read %d: %d plays (exit %d): %s", day, i, n, r.code, r.err)
			}
			time.Sleep(watchInterval / 3)
		}
	}
	// The same from another process, whose DuckDB file lock is the one
	// an open warehouse would hold against it.
	out, err := sparkifyProcess(t, append([]string{"sql", "--format", "csv", "SELECT COUNT(*) AS n FROM songplays"}, wh...)...)
	if want := int64(len(warehousetest.NewOracle(t, data.Songs, data.Logs).Plays)); err != nil ||
		!strings.HasSuffix(strings.TrimSpace(out), "\n"+strconv.FormatInt(want, 10)) {
		t.Errorf("sparkify sql in another process beside the idle watch: %v\n%s", err, out)
	}
	if r := w.stop(t); r.code != 0 {
		t.Fatalf("watch exit %d: %s", r.code, r.err)
	}
	assertEachFileOnce(t, wh, warehousetest.NewOracle(t, data.Songs, data.Logs))
}

// assertEachFileOnce checks the warehouse's record of the loads: every file
// was read by exactly one load, none replaced, and staging holds each event
// once.
func assertEachFileOnce(t *testing.T, wh []string, o *warehousetest.Oracle) {
	t.Helper()
	w, err := duckdb.Open(context.Background(), wh[1], warehouse.Options{ReadOnly: true}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.DB().Query("SELECT summary FROM sparkify_runs WHERE status = 'succeeded'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	read := map[string]int{}
	for rows.Next() {
		var summary string
		var res pipeline.Result
		if err := rows.Scan(&summary); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(summary), &res); err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Sources {
			read[s.Kind] += s.FilesNew + s.FilesChanged
			if s.FilesChanged > 0 {
				t.Errorf("load %d replaced %d %s files: they were loaded before", res.LoadID, s.FilesChanged, s.Kind)
			}
		}
	}
	var songFiles, logFiles, events int64
	if err := w.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM sparkify_files WHERE kind = 'song'),
		(SELECT COUNT(*) FROM sparkify_files WHERE kind = 'log'), (SELECT COUNT(*) FROM staging_events)`).Scan(&songFiles, &logFiles, &events); err != nil {
		t.Fatal(err)
	}
	if int64(read["song"]) != songFiles || int64(read["log"]) != logFiles || logFiles != 3 {
		t.Errorf("loads read %v files; the warehouse records %d song and %d log files (want 3 log files)", read, songFiles, logFiles)
	}
	if events != int64(o.Events) {
		t.Errorf("staging_events has %d rows, the files hold %d events", events, o.Events)
	}
}

// TestSecondWatchRefused: a second watch on the same DuckDB file exits 4
// naming the lock file; once the first stops, a new one starts.
func TestSecondWatchRefused(t *testing.T) {
	data := warehousetest.CopySample(t, 1)
	wh := tempWarehouse(t)
	first := startWatch(t, data, wh)
	waitForPlays(t, wh, int64(len(warehousetest.NewOracle(t, data.Songs, data.Logs).Plays)))
	lockFile := strings.TrimPrefix(wh[1], "duckdb:") + duckdb.WatchLockSuffix

	r := runCLI(t, nil, append([]string{"watch", "--songs", data.Songs, "--logs", data.Logs, "--interval", "1s"}, wh...)...)
	if r.code != ExitLocked || !strings.Contains(r.err, lockFile) {
		t.Fatalf("second watch: exit %d, stderr %q; want exit %d naming %s", r.code, r.err, ExitLocked, lockFile)
	}
	if !strings.Contains(r.err, "PID ") {
		t.Errorf("the refusal does not name the holder's PID: %q", r.err)
	}
	if r := first.stop(t); r.code != 0 {
		t.Fatalf("first watch exit %d: %s", r.code, r.err)
	}

	again := startWatch(t, data, wh)
	time.Sleep(3 * watchInterval)
	select {
	case r := <-again.done:
		t.Fatalf("the watch after the first stopped ended by itself: exit %d: %s", r.code, r.err)
	default:
	}
	if r := again.stop(t); r.code != 0 || !strings.Contains(r.out, "Watching") {
		t.Fatalf("the watch after the first: exit %d, out %q, err %q", r.code, r.out, r.err)
	}
}

// sparkifyProcess runs sparkify in a process of its own: this test binary,
// re-run as TestHelperSparkify.
func sparkifyProcess(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperSparkify$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "SPARKIFY_TEST_HELPER=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestHelperSparkify is sparkify itself when sparkifyProcess runs it.
func TestHelperSparkify(t *testing.T) {
	if os.Getenv("SPARKIFY_TEST_HELPER") != "1" {
		t.Skip("runs only as sparkifyProcess's child")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	f := NewFactory(iostreams.System(), func(string) string { return "" })
	os.Exit(Execute(context.Background(), f, args))
}
