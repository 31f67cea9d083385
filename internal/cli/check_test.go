package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/quality"
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

// TestMatchRateThresholdFromDwhCfg: [SPARKIFY] MATCH_RATE_WARN reaches the
// catalog match-rate check. The sample credits 1 of its 6,820 plays to a
// catalog song (proved from the raw files by the contract suite), a rate
// of 0.000147: below 0.0002 it warns, at 0.0001 it passes.
func TestMatchRateThresholdFromDwhCfg(t *testing.T) {
	wh := loadedWarehouse(t)
	for _, c := range []struct {
		threshold string
		status    string
		warned    int
	}{{"0.0002", "warn", 1}, {"0.0001", "pass", 0}} {
		cfg := filepath.Join(t.TempDir(), "dwh.cfg")
		os.WriteFile(cfg, []byte("[SPARKIFY]\nMATCH_RATE_WARN = "+c.threshold+"\n"), 0o644)
		r := runCLI(t, nil, append([]string{"check", "--json", "--config", cfg}, wh...)...)
		var rep struct {
			Status string
			Warned int
		}
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatalf("%v: %q %q", err, r.out, r.err)
		}
		if rep.Status != c.status || rep.Warned != c.warned {
			t.Errorf("MATCH_RATE_WARN %s: report %+v, want %s with %d warning(s)", c.threshold, rep, c.status, c.warned)
		}
	}
}

// TestETLNoCheckSkipsTheChecks: --no-check stores no check results with
// the run; a load without it stores one per built-in check.
func TestETLNoCheckSkipsTheChecks(t *testing.T) {
	count := func(wh []string) string {
		r := runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT COUNT(*) AS n FROM sparkify_checks"}, wh...)...)
		return r.out
	}
	wh := tempWarehouse(t)
	if r := runCLI(t, nil, append(append([]string{"etl", "-q", "--no-check"}, sampleArgs(t)...), wh...)...); r.code != 0 {
		t.Fatalf("etl --no-check: exit %d %s", r.code, r.err)
	}
	if got := count(wh); got != "n\n0\n" {
		t.Errorf("after etl --no-check: %q check results stored, want none", got)
	}
	checked := tempWarehouse(t)
	if r := runCLI(t, nil, append(append([]string{"etl", "-q"}, sampleArgs(t)...), checked...)...); r.code != 0 {
		t.Fatalf("etl: exit %d %s", r.code, r.err)
	}
	if got, want := count(checked), fmt.Sprintf("n\n%d\n", len(quality.Builtin())); got != want {
		t.Errorf("a load with checks stored %q results, want %q (one per built-in check)", got, want)
	}
}
