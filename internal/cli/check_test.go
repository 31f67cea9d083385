package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	wh := loadedWarehouse(t)
	r := runCLI(t, nil, append([]string{"check", "--json"}, wh...)...)
	var rep struct {
		Status string
		Failed int
		Warned int
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("%v: %q %q", err, r.out, r.err)
	}
	// The sample's catalog match rate is 1/6820: a warning, not a failure.
	if r.code != 0 || rep.Status != "warn" || rep.Failed != 0 || rep.Warned != 1 {
		t.Errorf("exit %d, report %+v", r.code, rep)
	}
	checks := filepath.Join(t.TempDir(), "checks.cfg")
	os.WriteFile(checks, []byte("[impossible]\nsql = SELECT COUNT(*) FROM users\nmax = 3\n"), 0o644)
	r = runCLI(t, nil, append([]string{"check", "--checks", checks, "--format", "csv"}, wh...)...)
	if r.code != ExitCheckFailed || !strings.Contains(r.out, "impossible,error,fail,97") {
		t.Errorf("exit %d, out %s", r.code, r.out)
	}
}

func TestETLWithFailingCheckCommitsAndExits3(t *testing.T) {
	wh := tempWarehouse(t)
	checks := filepath.Join(t.TempDir(), "checks.cfg")
	os.WriteFile(checks, []byte("[impossible]\nsql = SELECT COUNT(*) FROM users\nmax = 3\n"), 0o644)
	r := runCLI(t, nil, append(append([]string{"etl", "-q", "--checks", checks}, sampleArgs(t)...), wh...)...)
	if r.code != ExitCheckFailed || !strings.Contains(r.err, "data-quality checks failed") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
	r = runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT COUNT(*) AS n FROM songplays"}, wh...)...)
	if r.out != "n\n6820\n" {
		t.Errorf("data not committed: %q", r.out)
	}
	r = runCLI(t, nil, append([]string{"runs", "--format", "csv"}, wh...)...)
	if !strings.Contains(r.out, ",fail,") {
		t.Errorf("runs does not show the failed checks: %s", r.out)
	}
	r = runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT name, status FROM sparkify_checks WHERE status <> 'pass' ORDER BY name"}, wh...)...)
	if r.out != "name,status\ncatalog_match_rate,warn\nimpossible,fail\n" {
		t.Errorf("stored check results: %q", r.out)
	}
}
