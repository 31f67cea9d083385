// Package dashboard is sparkify's web dashboard: an http.Handler that
// draws the analysts' charts (plays over time, top songs and artists,
// free vs paid, upgrades and downgrades, locations, browsers, the last
// loads) from any warehouse, with echarts embedded in the binary so it
// works offline; and the same charts as one self-contained HTML report.
//
// Security: the handler only runs the fixed queries of sql/dashboard.sql
// (and analytics' conversions) with the request's filter as bound
// parameters, on a warehouse the caller opens read-only; every value from
// the data is escaped by html/template in the page and by json.Marshal in
// chart options, which are parsed as JSON and never run; responses carry a
// Content-Security-Policy without inline script.
package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// Opener opens the warehouse for reading. The handler opens it when a
// request needs it and closes it when no request does, so a DuckDB file is
// free for 'sparkify etl' between page loads.
type Opener func(ctx context.Context) (warehouse.Warehouse, error)

// Options configure the handler.
type Options struct {
	// Open opens the warehouse, read-only.
	Open Opener
	// LockWait is how long a request waits for a warehouse another process
	// holds (a running load) before answering 503. Default 5s.
	LockWait time.Duration
	// LoopbackOnly refuses requests whose Host header is not a loopback
	// name or address: with the server on 127.0.0.1, this stops other web
	// sites from reading it through DNS rebinding.
	LoopbackOnly bool
	// Now is the clock; default time.Now.
	Now func() time.Time
	// ErrorLog receives the errors behind 500 answers; nil discards them.
	ErrorLog io.Writer
}

// Handler serves the dashboard.
type Handler struct {
	opts Options
	wh   shared
	mux  *http.ServeMux
}

// New returns the dashboard handler:
//
//	GET /                  the dashboard (filters: from, to, level, top)
//	GET /api/data          the same data as JSON
//	GET /assets/NAME       the page's script and style, echarts and its licenses
//	GET /healthz           "ok"
func New(opts Options) *Handler {
	if opts.LockWait <= 0 {
		opts.LockWait = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ErrorLog == nil {
		opts.ErrorLog = io.Discard
	}
	h := &Handler{opts: opts, wh: shared{open: opts.Open}, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /{$}", h.serveHTML)
	h.mux.HandleFunc("GET /api/data", h.serveJSON)
	h.mux.HandleFunc("GET /assets/{path...}", serveAsset)
	h.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	return h
}

// ServeHTTP adds the security headers and checks the Host.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", ServerCSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	if h.opts.LoopbackOnly && !IsLoopbackHost(r.Host) {
		http.Error(w, "this dashboard answers on localhost only", http.StatusMisdirectedRequest)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// IsLoopbackHost reports whether a host (with or without a port) is
// "localhost" or a loopback address.
func IsLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (h *Handler) serveHTML(w http.ResponseWriter, r *http.Request) {
	p, ok := h.load(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := renderPage(w, p, false); err != nil {
		h.fail(w, err)
	}
}

func (h *Handler) serveJSON(w http.ResponseWriter, r *http.Request) {
	p, ok := h.load(w, r)
	if !ok {
		return
	}
	body, err := json.MarshalIndent(map[string]any{
		"filter":    p.Filter.Values(),
		"warehouse": p.Warehouse,
		"generated": p.Generated.UTC(),
		"data":      p.Data,
	}, "", "  ")
	if err != nil {
		h.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(append(body, '\n'))
}

// load validates the filter and reads the data, answering the request
// itself when it cannot.
func (h *Handler) load(w http.ResponseWriter, r *http.Request) (Page, bool) {
	f, err := ParseFilter(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return Page{}, false
	}
	openCtx, cancel := context.WithTimeout(r.Context(), h.opts.LockWait)
	wh, release, err := h.wh.acquire(openCtx)
	cancel()
	if errors.Is(err, warehouse.ErrLocked) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "the warehouse is busy (a load is running): try again in a moment", http.StatusServiceUnavailable)
		return Page{}, false
	}
	if err != nil {
		h.fail(w, err)
		return Page{}, false
	}
	defer release()
	d, err := Collect(r.Context(), wh.DB(), f)
	if err != nil {
		h.fail(w, err)
		return Page{}, false
	}
	return Page{Data: d, Filter: f, Warehouse: wh.String(), Generated: h.opts.Now()}, true
}

func (h *Handler) fail(w http.ResponseWriter, err error) {
	fmt.Fprintln(h.opts.ErrorLog, "dashboard:", err)
	http.Error(w, "the dashboard could not read the warehouse: "+err.Error(), http.StatusInternalServerError)
}

// shared is the warehouse while requests use it: opened by the first,
// closed by the last, shared by those in between.
type shared struct {
	open Opener
	mu   sync.Mutex
	wh   warehouse.Warehouse
	refs int
}

func (s *shared) acquire(ctx context.Context) (warehouse.Warehouse, func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wh == nil {
		if s.open == nil {
			return nil, nil, errors.New("dashboard: no warehouse to open")
		}
		wh, err := s.open(ctx)
		if err != nil {
			return nil, nil, err
		}
		s.wh = wh
	}
	s.refs++
	wh := s.wh
	return wh, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.refs--; s.refs == 0 {
			s.wh.Close()
			s.wh = nil
		}
	}, nil
}
