package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReportLabelsNoCheck: the default command's figures are reported under
// the plain case names, the --no-check ones only beside them, each row
// saying it skipped the checks.
func TestReportLabelsNoCheck(t *testing.T) {
	out := filepath.Join(t.TempDir(), "RESULTS.md")
	o := &options{scale: 0.01, reps: 1, engines: []string{"duckdb"}, out: out}
	d := &dataset{events: 1000, extraEvents: 100}
	r := &results{samples: map[string]map[string][]sample{}, ratios: map[string][]float64{"duckdb": {1}},
		checkRatios: map[string][]float64{"duckdb": {1.25}}}
	s := func(sec float64) sample { return sample{wall: time.Duration(sec * float64(time.Second))} }
	r.add("duckdb", caseBaseline, s(2))
	r.add("duckdb", caseCold, s(2.5))
	r.add("duckdb", noCheck(caseCold), s(2))
	r.add("duckdb", caseIncremental, s(0.5))
	r.add("duckdb", noCheck(caseIncremental), s(0.25))
	r.add("duckdb", caseNoop, s(0.1))
	r.add("duckdb", noCheck(caseNoop), s(0.1))
	if err := report(o, d, r); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	// events/s: 1000 events in 2.5 s and in 2 s; 100 events in 0.5 s and 0.25 s.
	for _, row := range []string{
		"| sparkify etl, cold full load | 2.50 s | 0 MiB | 400 |",
		"| sparkify etl, one more day | 0.50 s | 0 MiB | 200 |",
		"| sparkify etl, nothing new | 0.10 s | 0 MiB | - |",
		"| sparkify etl, cold full load (no-check, skips the data-quality checks) | 2.00 s | 0 MiB | 500 |",
		"| sparkify etl, one more day (no-check, skips the data-quality checks) | 0.25 s | 0 MiB | 400 |",
		"| sparkify etl, nothing new (no-check, skips the data-quality checks) | 0.10 s | 0 MiB | - |",
		"- cold load with its checks / with --no-check: **1.25x**",
		"- one more day / cold load: **20.0%**",
	} {
		if !strings.Contains(got, row) {
			t.Errorf("RESULTS.md lacks %q:\n%s", row, got)
		}
	}
	if i, j := strings.Index(got, "| sparkify etl, nothing new |"), strings.Index(got, "no-check, skips"); i < 0 || j < i {
		t.Errorf("the no-check rows come before the default ones:\n%s", got)
	}
}
