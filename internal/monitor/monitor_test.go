package monitor

import (
	"bufio"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/watch"
)

// scrape reads /metrics into series -> value ("name{labels}" as exposed).
func scrape(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func health(t *testing.T, h http.Handler) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	return rec.Code, rec.Body.String()
}

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func load(status string, songLoaded, songRejected, logLoaded, logRejected int64, waiting int) *pipeline.Result {
	return &pipeline.Result{Status: status, Sources: []pipeline.SourceResult{
		{Kind: "song", LinesLoaded: songLoaded, LinesRejected: songRejected},
		{Kind: "log", LinesLoaded: logLoaded, LinesRejected: logRejected, FilesWaiting: waiting},
	}}
}

func TestMetricsCountWhatTheLoadsDid(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	m := New(time.Minute, c.now)
	h := m.Handler()
	t0 := c.t
	// A load of 71 song lines and 8056 log lines (2 rejected), 1 file held back, 2.5 s.
	m.Observe(watch.Event{Start: t0, End: t0.Add(2500 * time.Millisecond), Result: load(pipeline.StatusSucceeded, 71, 0, 8056, 2, 1)})
	// A load that failed over --max-rejects: 40 log lines rejected, nothing loaded.
	t1 := t0.Add(time.Minute)
	m.Observe(watch.Event{Start: t1, End: t1.Add(time.Second), Result: load(pipeline.StatusFailed, 0, 0, 500, 40, 0), Err: pipeline.ErrTooManyRejects})
	// A poll that found nothing new.
	t2 := t0.Add(2 * time.Minute)
	m.Observe(watch.Event{Start: t2, End: t2.Add(time.Second), Result: load(pipeline.StatusNoop, 0, 0, 0, 0, 0)})

	got := scrape(t, h)
	for series, want := range map[string]float64{
		`sparkify_loads_total{status="succeeded"}`:        1,
		`sparkify_loads_total{status="failed"}`:           1,
		`sparkify_loads_total{status="noop"}`:             1,
		`sparkify_lines_loaded_total{kind="song"}`:        71,
		`sparkify_lines_loaded_total{kind="log"}`:         8056,
		`sparkify_lines_rejected_total{kind="song"}`:      0,
		`sparkify_lines_rejected_total{kind="log"}`:       2 + 40,
		`sparkify_load_duration_seconds_count`:            2,
		`sparkify_load_duration_seconds_sum`:              2.5 + 1,
		`sparkify_load_duration_seconds_bucket{le="3.2"}`: 2,
		`sparkify_load_duration_seconds_bucket{le="1.6"}`: 1,
		`sparkify_last_success_timestamp_seconds`:         float64(t2.Add(time.Second).Unix()),
		`sparkify_files_pending`:                          0,
	} {
		if got[series] != want {
			t.Errorf("%s = %v, want %v", series, got[series], want)
		}
	}
	if _, ok := got["go_goroutines"]; ok {
		t.Error("the registry holds the global collectors: it should be private")
	}
}

func TestHealthzTransitions(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	m := New(time.Minute, c.now)
	h := m.Handler()
	if code, body := health(t, h); code != 200 || !strings.Contains(body, "starting") {
		t.Fatalf("at start: %d %q", code, body)
	}
	c.t = c.t.Add(3 * time.Minute)
	if code, body := health(t, h); code != 503 || !strings.Contains(body, "no poll") {
		t.Fatalf("no poll in 3 intervals: %d %q", code, body)
	}
	ok := c.t
	m.Observe(watch.Event{Start: ok, End: ok, Result: load(pipeline.StatusSucceeded, 1, 0, 1, 0, 0)})
	if code, _ := health(t, h); code != 200 {
		t.Fatalf("after a success: %d", code)
	}
	broken := errors.New("warehouse away")
	c.t = ok.Add(time.Minute)
	m.Observe(watch.Event{Start: c.t, End: c.t, Err: broken, Failures: 1})
	if code, body := health(t, h); code != 200 || !strings.Contains(body, "failed (1 in a row)") {
		t.Fatalf("one failure, success 1 interval ago: %d %q", code, body)
	}
	c.t = ok.Add(3 * time.Minute)
	m.Observe(watch.Event{Start: c.t, End: c.t, Err: broken, Failures: 2})
	if code, body := health(t, h); code != 503 || !strings.Contains(body, "warehouse away") {
		t.Fatalf("failing for 3 intervals: %d %q", code, body)
	}
	m.Observe(watch.Event{Start: c.t, End: c.t})
	if code, _ := health(t, h); code != 200 {
		t.Fatalf("after recovering: %d", code)
	}
}
