package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
)

// controlBytes lists the control characters in s other than newline: none
// may reach a person's terminal from the data.
func controlBytes(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' || c == 0x7f {
			out = append(out, fmt.Sprintf("0x%02x at %d: %q", c, i, s[max(0, i-20):min(len(s), i+20)]))
		}
	}
	return out
}

// TestOutputEscapesControlCharacters: file names, field names and rejected
// lines holding terminal control sequences are shown escaped in the etl
// summary, the runs tables and errors, and exactly in --json; the list of
// new fields is capped.
func TestOutputEscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	must(t, os.Mkdir(logs, 0o755))
	// 61 new fields: one whose name clears the screen, 60 plain ones.
	const clear = "\x1b[2J"
	fields := `"\u001b[2J":1`
	for i := range 60 {
		fields += fmt.Sprintf(`,"f%02d":1`, i)
	}
	event := `{"ts":1541106106796,"userId":"8","sessionId":139,"itemInSession":1,"page":"NextSong","level":"free",` +
		`"song":"S","artist":"A","length":1.5,` + fields + "}"
	const bell = "\x1b]0;pwned\x07" // sets the window title, then rings
	badLine := "\x1b[31mred" + bell
	evil := "evil" + bell + ".json"
	must(t, os.WriteFile(filepath.Join(logs, evil), []byte(event+"\n"+badLine+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(logs, "caf\xe9.json"), []byte(badLine+"\n"), 0o644))
	wh := "duckdb:" + filepath.Join(dir, "w.duckdb")

	r := runCLITTY(t, "etl", "--logs", logs, "--warehouse", wh, "--max-rejects", "10", "--no-check")
	if r.code != 0 {
		t.Fatalf("etl: exit %d\n%s", r.code, r.err)
	}
	if bad := controlBytes(r.out + r.err); len(bad) > 0 {
		t.Errorf("etl summary holds control characters: %q\n%s", bad, r.out)
	}
	// 61 fields, 50 shown: 11 more.
	if !strings.Contains(r.out, `\x1b[2J`) || !strings.Contains(r.out, "f48, and 11 more") {
		t.Errorf("new fields not escaped and capped:\n%s", r.out)
	}

	for _, args := range [][]string{{"runs", "--rejects"}, {"runs", "--files"}, {"runs"}} {
		r = runCLITTY(t, append(args, "--warehouse", wh)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.err)
		}
		if bad := controlBytes(r.out + r.err); len(bad) > 0 {
			t.Errorf("%v holds control characters: %q\n%s", args, bad, r.out)
		}
		if args[len(args)-1] == "--files" { // --rejects cuts the long temp paths
			for _, want := range []string{`evil\x1b]0;pwned\x07.json`, `caf\xe9.json`} {
				if !strings.Contains(r.out, want) {
					t.Errorf("%v does not show %s:\n%s", args, want, r.out)
				}
			}
		}
	}
	if !strings.Contains(runCLITTY(t, "runs", "--rejects", "--warehouse", wh).out, `\x1b[31mred\x1b]0;pwned\x07`) {
		t.Error("runs --rejects does not show the rejected line escaped")
	}

	// --json is exact: the raw line and the field names as they were.
	r = runCLI(t, nil, "runs", "--rejects", "--json", "--warehouse", wh)
	var rejects []map[string]any
	if err := json.Unmarshal([]byte(r.out), &rejects); err != nil || len(rejects) != 2 {
		t.Fatalf("runs --rejects --json: %v\n%s", err, r.out)
	}
	for _, rj := range rejects {
		if rj["raw"] != badLine {
			t.Errorf("raw in JSON = %q, want %q", rj["raw"], badLine)
		}
	}
	r = runCLI(t, nil, "runs", "--json", "--warehouse", wh)
	var runs []struct {
		Sources []struct {
			NewFields []string `json:"new_fields"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(r.out), &runs); err != nil || len(runs) != 1 || len(runs[0].Sources) == 0 {
		t.Fatalf("runs --json: %v\n%s", err, r.out)
	}
	got := runs[0].Sources[len(runs[0].Sources)-1].NewFields
	if len(got) != 61 || !strings.Contains(strings.Join(got, "|"), clear) {
		t.Errorf("runs --json new fields: %d of them (%q), want all 61 with %q", len(got), got, clear)
	}

	// An error that quotes a name.
	r = runCLI(t, nil, "etl", "--logs", filepath.Join(dir, "gone"+bell), "--warehouse", wh)
	if r.code == 0 || !strings.Contains(r.err, `gone\x1b]0;pwned\x07`) || len(controlBytes(r.err)) > 0 {
		t.Errorf("error quoting a name: exit %d, stderr %q", r.code, r.err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSummaryCountsConflictingEvents: the summary says how many events
// arrived twice with different content, and says nothing when none did.
func TestSummaryCountsConflictingEvents(t *testing.T) {
	var b strings.Builder
	writeSummary(&b, &pipeline.Result{Status: pipeline.StatusSucceeded, ConflictingEvents: 2})
	if !strings.Contains(b.String(), "2 events arrived twice with different content (same event id): one copy of each was kept") {
		t.Errorf("summary:\n%s", b.String())
	}
	b.Reset()
	writeSummary(&b, &pipeline.Result{Status: pipeline.StatusSucceeded})
	if strings.Contains(b.String(), "arrived twice") {
		t.Errorf("summary with no conflicts:\n%s", b.String())
	}
}
