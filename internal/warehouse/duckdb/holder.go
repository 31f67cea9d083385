package duckdb

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// readerGrace is how long an open that does not wait for the file still
// retries while a reader holds it: the dashboard, a query or a report
// opens the file for one request at a time, so a load that meets one of
// them waits its turn instead of failing (a page every 1.3 s made one load
// in two fail).
const readerGrace = 10 * time.Second

// holder is the process DuckDB named in a lock error.
type holder struct {
	pid     string // "" when DuckDB's message had none
	command string // the sparkify verb it runs ("etl", "serve", ...); "" when not sparkify or unknown
}

// readers are the sparkify verbs that open a warehouse read-only, each
// for one request or one query at a time.
var readers = map[string]string{
	"serve": "the dashboard", "report": "a report", "query": "a query", "sql": "a query",
	"check": "the checks", "runs": "the run history", "export": "an export",
}

// holderOf finds who holds the file from DuckDB's lock error: its PID, and
// on Linux the sparkify verb that process runs (from /proc/PID/cmdline).
func holderOf(err error) holder {
	s := err.Error()
	i := strings.Index(s, "PID ")
	if i < 0 {
		return holder{}
	}
	j := i + 4
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	h := holder{pid: s[i+4 : j]}
	if h.pid == "" {
		return h
	}
	cmdline, rerr := os.ReadFile(filepath.Join("/proc", h.pid, "cmdline"))
	if rerr != nil {
		return h
	}
	args := strings.Split(string(bytes.TrimRight(cmdline, "\x00")), "\x00")
	if len(args) == 0 || !strings.Contains(filepath.Base(args[0]), "sparkify") {
		return h
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") {
			h.command = a
			break
		}
	}
	return h
}

// reader reports whether the holder only reads the file, a request or a
// query at a time.
func (h holder) reader() bool { _, ok := readers[h.command]; return ok }

// String names the holder for a person: "the dashboard (sparkify serve,
// PID 42)", "sparkify etl (PID 42)", "PID 42".
func (h holder) String() string {
	switch {
	case h.pid == "":
		return "another process"
	case h.reader():
		return fmt.Sprintf("%s (sparkify %s, PID %s)", readers[h.command], h.command, h.pid)
	case h.command != "":
		return fmt.Sprintf("sparkify %s (PID %s)", h.command, h.pid)
	}
	return "PID " + h.pid
}

// HeldError reports a DuckDB file another process has open, naming it. It
// matches warehouse.ErrLocked, so the command exits with the "busy" code.
type HeldError struct {
	Path   string
	holder holder
}

func (e *HeldError) Error() string {
	what := "another sparkify load is running on this warehouse: DuckDB file " + e.Path + " is open in " + e.holder.String()
	if e.holder.reader() {
		what = "the warehouse is busy: DuckDB file " + e.Path + " is being read by " + e.holder.String()
	}
	return what + "; try again when it is done (etl and export can wait for it with --wait)"
}

// Is makes errors.Is(err, warehouse.ErrLocked) true.
func (e *HeldError) Is(target error) bool { return target == warehouse.ErrLocked }
