package warehouse

import "errors"

// ErrLocked means another sparkify process is loading into the warehouse.
var ErrLocked = errors.New("another sparkify load is running on this warehouse")

// ErrTooManyRejects means more lines were rejected than the load allows
// (--max-rejects): an engine that stages files itself returns it when its
// loader stopped for that reason (Redshift's COPY, past MAXERROR).
var ErrTooManyRejects = errors.New("too many rejected lines")

// ErrUnknownEngine means a DSN names no engine sparkify knows.
var ErrUnknownEngine = errors.New("unknown warehouse")

// ErrPrivilegedLogin means the login that would run user-written SQL can
// reach the database server's files or shell (a superuser, or a member of
// pg_execute_server_program, pg_read_server_files or pg_write_server_files),
// which a read-only transaction does not prevent.
var ErrPrivilegedLogin = errors.New("the warehouse login is privileged")
