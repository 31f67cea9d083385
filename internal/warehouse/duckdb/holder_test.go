package duckdb

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// TestHeldErrorNamesTheHolder checks the busy message for each kind of
// holder and that it counts as warehouse.ErrLocked.
func TestHeldErrorNamesTheHolder(t *testing.T) {
	cases := []struct {
		h      holder
		want   string
		reader bool
	}{
		{holder{pid: "42", command: "serve"}, "the warehouse is busy: DuckDB file w.duckdb is being read by the dashboard (sparkify serve, PID 42)", true},
		{holder{pid: "42", command: "etl"}, "another sparkify load is running on this warehouse: DuckDB file w.duckdb is open in sparkify etl (PID 42)", false},
		{holder{pid: "42", command: "watch"}, "is open in sparkify watch (PID 42)", false},
		{holder{pid: "42"}, "is open in PID 42", false},
		{holder{}, "is open in another process", false},
	}
	for _, c := range cases {
		err := &HeldError{Path: "w.duckdb", holder: c.h}
		if !strings.Contains(err.Error(), c.want) || !errors.Is(err, warehouse.ErrLocked) || c.h.reader() != c.reader {
			t.Errorf("%+v: %q (reader %v), want it to contain %q (reader %v)", c.h, err, c.h.reader(), c.want, c.reader)
		}
	}
}

// TestHolderOfReadsTheLockError takes the PID out of DuckDB's lock message
// and finds this process's command line (a test binary, not sparkify).
func TestHolderOfReadsTheLockError(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	h := holderOf(errors.New(`IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held in /usr/bin/x (PID ` + pid + `) by user root`))
	if h.pid != pid || h.command != "" {
		t.Errorf("holder %+v, want PID %s and no sparkify command", h, pid)
	}
	if h := holderOf(errors.New("Conflicting lock")); h.pid != "" {
		t.Errorf("holder %+v from a message without a PID", h)
	}
}
