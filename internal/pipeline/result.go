package pipeline

import (
	"time"
)

// Run statuses.
const (
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusNoop      = "noop"
)

// Result is what a load did. It is returned even when the load fails, and
// stored (as JSON) in the run history.
type Result struct {
	LoadID     int64          `json:"load_id"`
	Status     string         `json:"status"`
	Mode       string         `json:"mode"`
	Days       string         `json:"days,omitempty"` // the --from/--to range of a backfill
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt time.Time      `json:"finished_at"`
	DurationMS int64          `json:"duration_ms"`
	Warehouse  string         `json:"warehouse"`
	Sources    []SourceResult `json:"sources"`
	Tables     []TableCount   `json:"tables,omitempty"`
	Skipped    []Skipped      `json:"skipped,omitempty"`
	// ConflictingEvents counts the events of this load that arrived twice
	// with different content: the same event id (ts|userId|sessionId|
	// itemInSession) but another value in a field a play keeps, between
	// this load's copies or against an earlier load's play. Counting
	// changes nothing: one copy is kept, the same as before.
	ConflictingEvents int64        `json:"conflicting_events"`
	Checks            any          `json:"checks,omitempty"`
	Timings           []StepTiming `json:"timings,omitempty"`
	Error             string       `json:"error,omitempty"`
}

// StepTiming is how long one step of the load took.
type StepTiming struct {
	Step string `json:"step"`
	MS   int64  `json:"ms"`
}

// SourceResult counts one source's files and lines. For every source,
// LinesRead = LinesLoaded + LinesRejected.
type SourceResult struct {
	Kind            string   `json:"kind"` // song | log
	URI             string   `json:"uri"`
	FilesListed     int      `json:"files_listed"`
	FilesNew        int      `json:"files_new"`
	FilesChanged    int      `json:"files_changed"`
	FilesUnchanged  int      `json:"files_unchanged"`
	FilesWaiting    int      `json:"files_waiting,omitempty"`      // not yet stable (watch)
	FilesOutOfRange int      `json:"files_out_of_range,omitempty"` // outside --from/--to
	FilesTouched    int      `json:"files_touched,omitempty"`      // new mtime, same content: not reloaded (counted unchanged too)
	FilesDropped    int      `json:"files_dropped,omitempty"`      // gone from the source, rows removed by a ranged --full-refresh
	FilesRestaged   int      `json:"files_restaged,omitempty"`     // unchanged, read again with a replaced file they were staged with (counted unchanged too)
	Bytes           int64    `json:"bytes"`
	LinesRead       int64    `json:"lines_read"`
	LinesLoaded     int64    `json:"lines_loaded"`
	LinesRejected   int64    `json:"lines_rejected"`
	NewFields       []string `json:"new_fields,omitempty"`
}

// TableCount is a table's size after the load and its change.
type TableCount struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
	Delta int64  `json:"delta"`
}

// Skipped is a listed name that is not a readable file.
type Skipped struct {
	Kind   string `json:"kind"`
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// FilesLoaded is the number of files read by the load.
func (r *Result) FilesLoaded() int {
	n := 0
	for _, s := range r.Sources {
		n += s.FilesNew + s.FilesChanged + s.FilesRestaged
	}
	return n
}

// Lines sums the line counts over the sources.
func (r *Result) Lines() (read, loaded, rejected int64) {
	for _, s := range r.Sources {
		read += s.LinesRead
		loaded += s.LinesLoaded
		rejected += s.LinesRejected
	}
	return
}

// Source returns the result of one kind of source, or nil.
func (r *Result) Source(kind string) *SourceResult {
	for i := range r.Sources {
		if r.Sources[i].Kind == kind {
			return &r.Sources[i]
		}
	}
	return nil
}

// Table returns one table's count, or nil.
func (r *Result) Table(name string) *TableCount {
	for i := range r.Tables {
		if r.Tables[i].Table == name {
			return &r.Tables[i]
		}
	}
	return nil
}
