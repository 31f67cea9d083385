package duckdb_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
)

// TestWatchLock: one holder at a time, the refusal names the file and the
// holder's PID and counts as ErrLocked, and the lock is free again once
// released; the database itself is never opened.
func TestWatchLock(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "w.duckdb")
	dsn := "duckdb:" + db + "?threads=2"
	first, err := duckdb.LockWatch(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	lockFile := db + duckdb.WatchLockSuffix
	if first.Path() != lockFile {
		t.Errorf("lock file %q, want %q", first.Path(), lockFile)
	}
	st, err := os.Stat(lockFile)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("lock file mode %v, want 0600", st.Mode().Perm())
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("taking the watch lock touched the database: %v", err)
	}

	_, err = duckdb.LockWatch(ctx, dsn)
	var locked *duckdb.WatchLockedError
	if !errors.As(err, &locked) || !errors.Is(err, warehouse.ErrLocked) {
		t.Fatalf("second lock: err = %v, want a WatchLockedError matching ErrLocked", err)
	}
	pid := strconv.Itoa(os.Getpid())
	if locked.PID != pid || !strings.Contains(err.Error(), lockFile) || !strings.Contains(err.Error(), "PID "+pid) {
		t.Errorf("refusal %q (PID %q) should name %s and PID %s", err, locked.PID, lockFile, pid)
	}

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := duckdb.LockWatch(ctx, dsn)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	defer again.Close()
	// The database opens while a watch holds its lock: readers are not kept out.
	wh, err := duckdb.Open(ctx, "duckdb:"+db, warehouse.Options{}, false)
	if err != nil {
		t.Fatalf("open the database beside a held watch lock: %v", err)
	}
	wh.Close()
}

func TestWatchLockInMemory(t *testing.T) {
	l, err := duckdb.LockWatch(context.Background(), "duckdb::memory:")
	if err != nil {
		t.Fatal(err)
	}
	if l.Path() != "" {
		t.Errorf("an in-memory database got lock file %q", l.Path())
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}
