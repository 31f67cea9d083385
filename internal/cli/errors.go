package cli

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
)

// FlagError is a usage error: wrong flags or arguments.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// flagErrorf builds a FlagError.
func flagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// SilentError has been reported already; only its exit code matters.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitError carries a specific exit code with a message.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

func isCobraUsageError(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.Contains(s, "accepts ") && strings.Contains(s, " arg(s)") ||
		strings.HasPrefix(s, "requires at least")
}

func isLocked(err error) bool { return errors.Is(err, warehouse.ErrLocked) }

// hintFor says what to do about well-known errors.
func hintFor(err error) string {
	var watching *duckdb.WatchLockedError
	switch {
	case errors.As(err, &watching):
		return "hint: only one watch runs per warehouse: stop the other one (Ctrl-C where it runs) first; " +
			"queries and the dashboard can read the warehouse while it watches"
	case errors.Is(err, pipeline.ErrTooManyRejects):
		return "hint: see every rejected line with 'sparkify runs --rejects', fix the input or raise --max-rejects"
	case errors.Is(err, pipeline.ErrNoSources):
		return "hint: pass --songs and --logs, or set [S3] SONG_DATA and LOG_DATA in dwh.cfg"
	case errors.Is(err, warehouse.ErrUnknownEngine):
		return "hint: --warehouse takes duckdb:PATH, postgres://USER@HOST:PORT/DB or redshift://USER@HOST:5439/DB"
	case errors.Is(err, warehouse.ErrPrivilegedLogin):
		return "hint: connect as a role that can only read the warehouse (see docs/operations.md), or pass --allow-privileged"
	case errors.Is(err, config.ErrNoConfigFile):
		return "hint: drop --config to run without one, or create it (see the README for the dwh.cfg format)"
	case errors.Is(err, driver.ErrBadConn):
		return "hint: the connection to the warehouse broke (the server stopped, or the network dropped); " +
			"a load in progress was not committed: run the command again once the server is back"
	}
	return ""
}
