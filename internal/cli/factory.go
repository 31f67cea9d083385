package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/iostreams"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
)

// Factory gives commands what they share: streams, configuration and the
// warehouse, created lazily so --help needs none of them.
type Factory struct {
	IO     *iostreams.IOStreams
	Getenv config.Env
	// Flags are the global flags, filled by cobra.
	Flags config.Flags
	Quiet bool
	Now   func() time.Time
	// AllowPrivileged lets user-written SQL run as a privileged login
	// (--allow-privileged), with a warning.
	AllowPrivileged bool
	// Command is the verb running ("etl", "serve"), set before it runs; it
	// names this process to other sessions of a server warehouse.
	Command string

	cfg     *config.Config
	closers []func() error
}

// NewFactory returns a Factory over streams and an environment.
func NewFactory(io *iostreams.IOStreams, getenv config.Env) *Factory {
	return &Factory{IO: io, Getenv: getenv, Now: time.Now}
}

// Config loads the configuration once.
func (f *Factory) Config() (*config.Config, error) {
	if f.cfg != nil {
		return f.cfg, nil
	}
	cfg, err := config.Load(f.Flags, f.Getenv)
	if err != nil {
		return nil, err
	}
	f.cfg = cfg
	return cfg, nil
}

// OpenWarehouse opens the configured warehouse; it is closed when the
// command ends.
func (f *Factory) OpenWarehouse(ctx context.Context, readOnly, wait bool) (warehouse.Warehouse, error) {
	return f.openWarehouse(ctx, warehouse.Options{ReadOnly: readOnly}, wait)
}

func (f *Factory) openWarehouse(ctx context.Context, opts warehouse.Options, wait bool) (warehouse.Warehouse, error) {
	dsn, opts, err := f.warehouseDSN(opts)
	if err != nil {
		return nil, err
	}
	wh, err := engines.Open(ctx, dsn, opts, wait)
	if err != nil {
		return nil, err
	}
	f.closers = append(f.closers, wh.Close)
	return wh, nil
}

// warehouseDSN resolves the configured warehouse: its DSN, and opts with
// what every engine gets from the configuration (password, the rest).
func (f *Factory) warehouseDSN(opts warehouse.Options) (string, warehouse.Options, error) {
	cfg, err := f.Config()
	if err != nil {
		return "", opts, err
	}
	dsn, err := cfg.WarehouseDSN()
	if err != nil {
		return "", opts, err
	}
	opts.Password, opts.Config = cfg.Password(), cfg
	if f.Command != "" {
		opts.Client = fmt.Sprintf("sparkify %s (PID %d)", f.Command, os.Getpid())
	}
	return dsn, opts, nil
}

// OpenQueryWarehouse opens the warehouse read-only for SQL that users write
// or choose (sql, query, runs, check, report): sandboxed, so that SQL can
// reach nothing outside the warehouse.
// A server login that could reach the database host is refused (see
// checkPrivileges).
func (f *Factory) OpenQueryWarehouse(ctx context.Context) (warehouse.Warehouse, error) {
	return f.openQueryWarehouse(ctx, warehouse.Options{})
}

// openQueryWarehouse is OpenQueryWarehouse with more options (a statement
// timeout).
func (f *Factory) openQueryWarehouse(ctx context.Context, opts warehouse.Options) (warehouse.Warehouse, error) {
	opts.ReadOnly, opts.Sandboxed = true, true
	wh, err := f.openWarehouse(ctx, opts, false)
	if err != nil {
		return nil, err
	}
	if err := f.checkPrivileges(ctx, wh); err != nil {
		return nil, err
	}
	return wh, nil
}

// OnClose registers cleanup to run when the command ends.
func (f *Factory) OnClose(fn func() error) { f.closers = append(f.closers, fn) }

// Close releases what the command opened, last first.
func (f *Factory) Close() {
	for i := len(f.closers) - 1; i >= 0; i-- {
		f.closers[i]()
	}
	f.closers = nil
}
