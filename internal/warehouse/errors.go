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
