package dashboard

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/sparkify/sparkify/internal/output"
)

// Run is one load of the history, as the dashboard lists it.
type Run struct {
	LoadID     int64     `json:"load_id"`
	Status     string    `json:"status"`
	Mode       string    `json:"mode"`
	Started    time.Time `json:"started_at"`
	DurationMS int64     `json:"duration_ms"`
	Files      int64     `json:"files_loaded"`
	Loaded     int64     `json:"lines_loaded"`
	Rejected   int64     `json:"lines_rejected"`
	// Checks is the data-quality status stored with the run: the "status"
	// of its summary's "checks" ("pass", "fail", ...), "ran" when the
	// checks have no status field, or "not run" when the summary has none.
	Checks string `json:"checks"`
	// ChecksDetail is the stored check report, indented JSON ("" if none).
	ChecksDetail string `json:"checks_detail,omitempty"`
	Error        string `json:"error,omitempty"`
}

// ChecksClass is the CSS class of the checks cell: "checks-" and the
// status with anything but letters and digits as "-" ("not run" is
// checks-not-run, one class, not the two "checks-not" and "run").
func (r Run) ChecksClass() string {
	return "checks-" + strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return c
		}
		return '-'
	}, r.Checks)
}

// Seconds is the run's duration for people.
func (r Run) Seconds() float64 { return float64(r.DurationMS) / 1000 }

// readRuns reads the rows of the runs query: load_id, status, mode,
// started_at, duration_ms, files_loaded, lines_loaded, lines_rejected,
// summary, error.
func readRuns(rows [][]any) []Run {
	out := []Run{}
	for _, row := range rows {
		r := Run{LoadID: asInt(row[0]), Status: output.Text(row[1]), Mode: output.Text(row[2]),
			DurationMS: asInt(row[4]), Files: asInt(row[5]), Loaded: asInt(row[6]), Rejected: asInt(row[7])}
		if t, ok := row[3].(time.Time); ok {
			r.Started = t.UTC()
		}
		r.Checks, r.ChecksDetail = checks(output.Text(row[8]))
		r.Error, _, _ = strings.Cut(output.Text(row[9]), "\n")
		out = append(out, r)
	}
	return out
}

// checks reads the "checks" field of a run's stored summary JSON.
func checks(summary string) (status, detail string) {
	var s struct {
		Checks json.RawMessage `json:"checks"`
	}
	if json.Unmarshal([]byte(summary), &s) != nil || len(s.Checks) == 0 || string(s.Checks) == "null" {
		return "not run", ""
	}
	var buf bytes.Buffer
	if json.Indent(&buf, s.Checks, "", "  ") == nil {
		detail = buf.String()
	}
	var withStatus struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(s.Checks, &withStatus) == nil && withStatus.Status != "" {
		return withStatus.Status, detail
	}
	return "ran", detail
}
