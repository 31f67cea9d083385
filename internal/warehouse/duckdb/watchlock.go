package duckdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// WatchLockSuffix is appended to the database path to name the watch's lock
// file: duckdb:data/w.duckdb is guarded by data/w.duckdb.watch.lock.
const WatchLockSuffix = ".watch.lock"

// WatchLock is the one-watch-per-warehouse guard of a DuckDB file: an
// flock(2) on a file beside the database, held for the watch's life without
// keeping the database itself open (which would lock every reader out). The
// kernel drops the lock when the process dies, so a killed watch leaves no
// stale lock, only the file.
type WatchLock struct {
	path string
	f    *os.File // nil for an in-memory database
}

// WatchLockedError reports a watch lock another process holds. It matches
// warehouse.ErrLocked, so the command exits with the "locked" code.
type WatchLockedError struct {
	// File is the lock file; PID is its holder's ("" when unknown).
	File, PID string
}

func (e *WatchLockedError) Error() string {
	holder := "another process"
	if e.PID != "" {
		holder = "PID " + e.PID
	}
	return fmt.Sprintf("another sparkify watch is running on this warehouse: %s holds %s", holder, e.File)
}

// Is makes errors.Is(err, warehouse.ErrLocked) true.
func (e *WatchLockedError) Is(target error) bool { return target == warehouse.ErrLocked }

// LockWatch takes the watch lock of the DuckDB warehouse dsn names, or
// returns a *WatchLockedError when another watch holds it. An in-memory
// database belongs to its process and needs no lock. Close releases it.
func LockWatch(ctx context.Context, dsn string) (*WatchLock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path, err := ParsePath(dsn)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return &WatchLock{}, nil
	}
	lockPath := path + WatchLockSuffix
	// The file is never removed: removing it would let a watch that opened
	// it just before lock the orphaned file while a third locks a new one.
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("take the watch lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		pid := readPID(f)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, &WatchLockedError{File: lockPath, PID: pid}
		}
		return nil, fmt.Errorf("take the watch lock %s: %w", lockPath, err)
	}
	if err := writePID(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("write the PID into the watch lock %s: %w", lockPath, err)
	}
	return &WatchLock{path: lockPath, f: f}, nil
}

// Path is the lock file ("" for an in-memory database).
func (l *WatchLock) Path() string { return l.path }

// Close releases the lock, clearing the PID first so the file names no
// process that no longer holds it.
func (l *WatchLock) Close() error {
	if l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	if err != nil {
		return fmt.Errorf("release the watch lock %s: %w", l.path, err)
	}
	return nil
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readPID is the holder's PID as it wrote it, or "" when the file does not
// hold one (yet).
func readPID(f *os.File) string {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid := strings.TrimSpace(string(buf[:n]))
	if _, err := strconv.Atoi(pid); err != nil {
		return ""
	}
	return pid
}
