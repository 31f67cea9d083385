package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
)

// ServeOptions are the flags of 'sparkify serve'.
type ServeOptions struct {
	Addr        string
	AllowRemote bool
	LockWait    time.Duration

	// onListen, for tests, learns the address once the server listens.
	onListen func(net.Addr)
}

func newServeCmd(f *Factory) *cobra.Command {
	opts := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Show the warehouse's charts in a local web dashboard",
		Long: `Serve a dashboard of the warehouse on http://127.0.0.1:8080: plays per day,
by hour and weekday, top songs and artists (by the catalog and by the names
in the events), free vs paid, upgrades and downgrades, top locations,
browsers and systems, and the last loads with their data-quality checks.
Filter by days and level in the page. Everything it needs is inside the
binary: it works offline.

The warehouse is opened read-only, for each page load, and closed after it,
so 'sparkify etl' can load into a DuckDB file while the dashboard runs (a
page asked for during a load waits up to --lock-wait, then says so).

It listens on the loopback interface only, unless --allow-remote is given:
the dashboard has no login.`,
		Example: `  sparkify serve
  sparkify serve --addr 127.0.0.1:9000
  sparkify serve --warehouse postgres://me@localhost/sparkify`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	cmd.Flags().BoolVar(&opts.AllowRemote, "allow-remote", false, "allow an address other machines can reach (the dashboard has no login)")
	cmd.Flags().DurationVar(&opts.LockWait, "lock-wait", 5*time.Second, "how long a page waits for a warehouse a load holds")
	addAllowPrivilegedFlag(cmd, f)
	return cmd
}

// checkServeAddr refuses an address other machines could reach, unless
// that is explicitly allowed.
func checkServeAddr(addr string, allowRemote bool) error {
	return checkListenAddr("--addr", addr, allowRemote, "the dashboard")
}

// checkListenAddr refuses, for the flag named, an address other machines
// could reach unless allowRemote: what is served there has no login.
func checkListenAddr(flag, addr string, allowRemote bool, what string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return flagErrorf("%s %q: %v (use host:port, e.g. 127.0.0.1:8080)", flag, addr, err)
	}
	if host != "" && dashboard.IsLoopbackHost(host) || allowRemote {
		return nil
	}
	if host == "" {
		host = "every interface"
	}
	return flagErrorf("%s %s listens on %s, which other machines can reach, and %s has no login: use 127.0.0.1, or pass --allow-remote", flag, addr, host, what)
}

// listenAddr is the address to print for a listener opened on given: the
// host as the user gave it (0.0.0.0 stays 0.0.0.0, not the [::] the
// listener reports; an empty host is shown as 0.0.0.0) and the port the
// listener got (the real one when given asked for port 0 or a service name).
func listenAddr(given string, actual net.Addr) string {
	host, port, err := net.SplitHostPort(given)
	if err != nil {
		return actual.String()
	}
	if tcp, ok := actual.(*net.TCPAddr); ok {
		port = strconv.Itoa(tcp.Port)
	}
	if host == "" {
		host = "0.0.0.0"
	}
	return net.JoinHostPort(host, port)
}

func runServe(ctx context.Context, f *Factory, opts *ServeOptions) error {
	if err := checkServeAddr(opts.Addr, opts.AllowRemote); err != nil {
		return err
	}
	open, desc, err := readOnlyOpener(ctx, f)
	if err != nil {
		return err
	}
	h := dashboard.New(dashboard.Options{
		Open:         open,
		LockWait:     opts.LockWait,
		LoopbackOnly: !opts.AllowRemote,
		Now:          f.Now,
		ErrorLog:     f.IO.ErrOut,
	})
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 2 * time.Minute, IdleTimeout: time.Minute}
	if opts.AllowRemote {
		fmt.Fprintln(f.IO.ErrOut, "warning: --allow-remote: anyone who can reach this address can read the dashboard")
	}
	f.info("Dashboard of %s on http://%s/ (Ctrl-C to stop)", desc, listenAddr(opts.Addr, ln.Addr()))
	if opts.onListen != nil {
		opts.onListen(ln.Addr())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// readOnlyOpener checks that the configured warehouse opens read-only and
// returns a function that opens it again, waiting while a load holds it,
// for each request; and the warehouse's description.
func readOnlyOpener(ctx context.Context, f *Factory) (dashboard.Opener, string, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, "", err
	}
	dsn, err := cfg.WarehouseDSN()
	if err != nil {
		return nil, "", err
	}
	wopts := warehouse.Options{ReadOnly: true, Sandboxed: true, Password: cfg.Password(), Config: cfg}
	open := func(ctx context.Context) (warehouse.Warehouse, error) {
		return engines.Open(ctx, dsn, wopts, true)
	}
	wh, err := engines.Open(ctx, dsn, wopts, false)
	if err != nil {
		return nil, "", err
	}
	defer wh.Close()
	if err := f.checkPrivileges(ctx, wh); err != nil {
		return nil, "", err
	}
	desc := wh.String()
	return open, desc, nil
}
