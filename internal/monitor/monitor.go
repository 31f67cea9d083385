// Package monitor makes a long-running watch observable: Prometheus
// metrics at /metrics, from a registry of its own, and a health answer at
// /healthz, both fed by the watch's poll events.
package monitor

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/watch"
)

// HealthyIntervals is how many intervals after the last successful poll
// the watch still counts as healthy while polls fail.
const HealthyIntervals = 3

// Monitor counts what a watch's polls did and answers health checks.
type Monitor struct {
	interval time.Duration
	now      func() time.Time
	reg      *prometheus.Registry

	loads       *prometheus.CounterVec
	loaded      *prometheus.CounterVec
	rejected    *prometheus.CounterVec
	duration    prometheus.Histogram
	lastSuccess prometheus.Gauge
	pending     prometheus.Gauge

	mu       sync.Mutex
	started  time.Time
	polled   bool      // a poll has finished
	lastOK   time.Time // end of the last successful poll
	lastErr  error     // error of the latest poll; nil when it succeeded
	failures int
}

// New returns a Monitor for a watch polling every interval; now is the
// clock (time.Now in production).
func New(interval time.Duration, now func() time.Time) *Monitor {
	m := &Monitor{interval: interval, now: now, reg: prometheus.NewRegistry(), started: now()}
	m.loads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sparkify_loads_total", Help: "Polls of the watch by outcome: succeeded, failed, or noop (nothing new).",
	}, []string{"status"})
	m.loaded = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sparkify_lines_loaded_total", Help: "Lines loaded by committed loads since the watch started, by kind (song, log).",
	}, []string{"kind"})
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sparkify_lines_rejected_total", Help: "Lines rejected by loads since the watch started, by kind (song, log).",
	}, []string{"kind"})
	m.duration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "sparkify_load_duration_seconds", Help: "Duration of polls that ran a load.",
		Buckets: prometheus.ExponentialBuckets(0.1, 2, 12),
	})
	m.lastSuccess = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "sparkify_last_success_timestamp_seconds", Help: "Unix time of the end of the last successful poll (0: none yet).",
	})
	m.pending = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "sparkify_files_pending", Help: "Files seen but held back at the latest poll (still being written).",
	})
	m.reg.MustRegister(m.loads, m.loaded, m.rejected, m.duration, m.lastSuccess, m.pending)
	for _, k := range []string{"song", "log"} {
		m.loaded.WithLabelValues(k)
		m.rejected.WithLabelValues(k)
	}
	return m
}

// Observe records one finished poll; it is a watch.Options.OnPoll.
func (m *Monitor) Observe(ev watch.Event) {
	res := ev.Result
	status := pipeline.StatusNoop
	switch {
	case ev.Err != nil:
		status = pipeline.StatusFailed
	case res != nil:
		status = res.Status
	}
	m.loads.WithLabelValues(status).Inc()
	if res != nil {
		pending := 0
		for _, s := range res.Sources {
			if ev.Err == nil && res.Status != pipeline.StatusFailed {
				m.loaded.WithLabelValues(s.Kind).Add(float64(s.LinesLoaded))
			}
			m.rejected.WithLabelValues(s.Kind).Add(float64(s.LinesRejected))
			pending += s.FilesWaiting
		}
		m.pending.Set(float64(pending))
		if res.Status != pipeline.StatusNoop {
			m.duration.Observe(ev.End.Sub(ev.Start).Seconds())
		}
	} else if ev.Err == nil {
		m.pending.Set(0) // skipped: nothing changed since a poll that held nothing back
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.polled, m.lastErr, m.failures = true, ev.Err, ev.Failures
	if ev.Err == nil {
		m.lastOK = ev.End
		m.lastSuccess.Set(float64(ev.End.UnixNano()) / 1e9)
	}
}

// Health reports whether the watch is healthy, and why not: the latest
// poll succeeded, or the last success (or the start) is less than
// HealthyIntervals intervals old.
func (m *Monitor) Health() (ok bool, reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.polled && m.lastErr == nil {
		return true, "ok: the latest poll succeeded"
	}
	since, what := m.lastOK, "the last successful poll"
	if since.IsZero() {
		since, what = m.started, "the start, with no successful poll"
	}
	age := m.now().Sub(since)
	limit := time.Duration(HealthyIntervals) * m.interval
	if !m.polled {
		if age < limit {
			return true, "ok: starting, no poll finished yet"
		}
		return false, fmt.Sprintf("no poll has finished in %s since the start", age.Round(time.Second))
	}
	if age < limit {
		return true, fmt.Sprintf("ok: the latest poll failed (%d in a row), %s was %s ago", m.failures, what, age.Round(time.Millisecond))
	}
	return false, fmt.Sprintf("failing: %s was %s ago (more than %d intervals): %v", what, age.Round(time.Second), HealthyIntervals, m.lastErr)
}

// Handler serves /metrics and /healthz.
func (m *Monitor) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		ok, reason := m.Health()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprintln(w, reason)
	})
	return mux
}
