package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadedWarehouse loads the sample and returns the --warehouse flag.
func loadedWarehouse(t *testing.T) []string {
	t.Helper()
	wh := tempWarehouse(t)
	if r := runCLI(t, nil, append(append([]string{"etl", "-q"}, sampleArgs(t)...), wh...)...); r.code != 0 {
		t.Fatalf("etl: %s", r.err)
	}
	return wh
}

func TestQueryListAndFormats(t *testing.T) {
	wh := loadedWarehouse(t)
	r := runCLI(t, nil, "query", "--list")
	for _, name := range []string{"top-songs", "top-artists", "top-played", "plays-by-hour", "plays-by-weekday", "level-split", "top-users"} {
		if !strings.Contains(r.out, name) {
			t.Errorf("--list lacks %s", name)
		}
	}
	r = runCLI(t, nil, append([]string{"query", "top-played", "--format", "csv", "--limit", "3"}, wh...)...)
	recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if err != nil || len(recs) != 4 || strings.Join(recs[0], ",") != "title,artist,plays" {
		t.Fatalf("csv: %v %q", err, r.out)
	}
	r = runCLI(t, nil, append([]string{"query", "level-split", "--format", "json"}, wh...)...)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("json: %v %q", err, r.out)
	}
	if _, ok := rows[0]["share_pct"]; !ok {
		t.Errorf("level-split has no share_pct: %v", rows[0])
	}
	// In a pipe the default is tab-separated without a header.
	r = runCLI(t, nil, append([]string{"query", "plays-by-weekday"}, wh...)...)
	if lines := strings.Split(strings.TrimSpace(r.out), "\n"); len(lines) != 7 || strings.Count(lines[0], "\t") != 2 {
		t.Errorf("tsv: %q", r.out)
	}
}

func TestQueryErrors(t *testing.T) {
	wh := loadedWarehouse(t)
	r := runCLI(t, nil, append([]string{"query", "nope"}, wh...)...)
	if r.code != ExitUsage || !strings.Contains(r.err, "top-songs") {
		t.Errorf("unknown query: %d %q", r.code, r.err)
	}
	r = runCLI(t, nil, append([]string{"query", "top-songs", "--format", "xml"}, wh...)...)
	if r.code != ExitUsage {
		t.Errorf("bad format: exit %d", r.code)
	}
}

func TestSQLIsReadOnly(t *testing.T) {
	wh := loadedWarehouse(t)
	r := runCLI(t, nil, append([]string{"sql", "DELETE FROM songplays"}, wh...)...)
	if r.code == 0 {
		t.Fatal("a DELETE went through sparkify sql")
	}
	r = runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT COUNT(*) AS n FROM songplays"}, wh...)...)
	if r.out != "n\n6820\n" {
		t.Errorf("count after the refused DELETE: %q", r.out)
	}
}

// TestSQLReachesNothingOutside: SQL run by sparkify sql can neither write
// nor read files next to the warehouse (DuckDB's COPY TO and table
// functions), nor switch that sandbox off.
func TestSQLReachesNothingOutside(t *testing.T) {
	wh := loadedWarehouse(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "leak.csv")
	secret := filepath.Join(dir, "secret.csv")
	if err := os.WriteFile(secret, []byte("a\n1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"COPY (SELECT * FROM users) TO '" + out + "'",
		"SELECT * FROM read_csv('" + secret + "')",
		"SET enable_external_access = true",
	} {
		r := runCLI(t, nil, append([]string{"sql", q}, wh...)...)
		if r.code == 0 {
			t.Errorf("%s: went through (%q)", q, r.out)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("sparkify sql wrote %s (stat: %v)", out, err)
	}
}

func TestRunsHistory(t *testing.T) {
	wh := loadedWarehouse(t)
	r := runCLI(t, nil, append([]string{"runs", "--json"}, wh...)...)
	var runs []map[string]any
	if err := json.Unmarshal([]byte(r.out), &runs); err != nil || len(runs) != 1 || runs[0]["status"] != "succeeded" {
		t.Fatalf("runs --json: %v %q", err, r.out)
	}
	r = runCLI(t, nil, append([]string{"runs", "--format", "table"}, wh...)...)
	if !strings.Contains(r.out, "succeeded") || !strings.Contains(r.out, "6820 (+6820)") {
		t.Errorf("runs table:\n%s", r.out)
	}
}

func TestSchemaResetNeedsYes(t *testing.T) {
	wh := loadedWarehouse(t)
	r := runCLI(t, nil, append([]string{"schema", "--reset"}, wh...)...)
	if r.code != ExitUsage || !strings.Contains(r.err, "--yes") {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
	r = runCLI(t, nil, append([]string{"schema", "--reset", "--yes"}, wh...)...)
	if r.code != 0 {
		t.Fatal(r.err)
	}
	r = runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT COUNT(*) AS n FROM songplays"}, wh...)...)
	if r.out != "n\n0\n" {
		t.Errorf("after reset: %q", r.out)
	}
}
