package warehouse

import "errors"

// ErrLocked means another sparkify process is loading into the warehouse.
var ErrLocked = errors.New("another sparkify load is running on this warehouse")

// ErrUnknownEngine means a DSN names no engine sparkify knows.
var ErrUnknownEngine = errors.New("unknown warehouse")
