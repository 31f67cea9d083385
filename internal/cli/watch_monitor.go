package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sparkify/sparkify/internal/monitor"
	"github.com/sparkify/sparkify/internal/watch"
)

// watchLogger returns the structured logger of --log-format json (one JSON
// object per event on w), or nil for the default text lines.
func watchLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "", "text":
		return nil, nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, flagErrorf("--log-format %q: use text or json", format)
}

// startMetrics serves /metrics and /healthz of m on addr (checked by the
// caller: loopback unless allowRemote) until the command ends.
func startMetrics(ctx context.Context, f *Factory, m *monitor.Monitor, addr string, allowRemote bool, onListen func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen for metrics on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}
	if allowRemote {
		fmt.Fprintln(f.IO.ErrOut, "warning: --allow-remote: anyone who can reach this address can read the metrics")
	}
	fmt.Fprintf(f.IO.ErrOut, "Metrics on http://%s/metrics, health on http://%s/healthz\n", ln.Addr(), ln.Addr())
	if onListen != nil {
		onListen(ln.Addr())
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(f.IO.ErrOut, "metrics server: %v\n", err)
		}
	}()
	f.OnClose(func() error {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	})
	return nil
}

// chainPoll calls every non-nil fn with each poll event.
func chainPoll(fns ...func(watch.Event)) func(watch.Event) {
	return func(ev watch.Event) {
		for _, fn := range fns {
			if fn != nil {
				fn(ev)
			}
		}
	}
}
