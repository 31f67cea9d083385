package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/testutil"
)

// TestMain lets the test binary stand in for bench as the small parent
// timedTo runs every command under.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == measuredArg {
		os.Exit(measured(os.Args[2:]))
	}
	os.Exit(m.Run())
}

// TestETLArgsAreTheREADMECommand: the command the benchmark times is the
// README's `sparkify etl --songs ... --logs ...` with only the warehouse
// added, so the data-quality checks are on; --no-check only when asked.
func TestETLArgsAreTheREADMECommand(t *testing.T) {
	f, err := os.Open("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var readme []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if strings.HasPrefix(sc.Text(), "sparkify etl --songs ") {
			readme = strings.Fields(sc.Text())[1:]
			break
		}
	}
	if len(readme) != 5 {
		t.Fatalf("README: no `sparkify etl --songs PATH --logs PATH` line found: %q", readme)
	}
	d := &dataset{songs: readme[2], logs: readme[4]}
	want := append(slices.Clone(readme), "--warehouse", "duckdb:w.duckdb")
	if got := etlArgs(d, "duckdb:w.duckdb", true); !slices.Equal(got, want) {
		t.Errorf("the default command: %q, want %q", got, want)
	}
	if got := etlArgs(d, "duckdb:w.duckdb", false); !slices.Equal(got, append(want, "--no-check")) {
		t.Errorf("the no-check command: %q, want %q", got, append(want, "--no-check"))
	}
}

// TestChecksAsAsked: a load whose checks ran, or did not, against what its
// label says fails the benchmark.
func TestChecksAsAsked(t *testing.T) {
	report := map[string]any{"status": "passed"}
	for _, c := range []struct {
		res    pipeline.Result
		checks bool
		ok     bool
	}{
		{pipeline.Result{Status: pipeline.StatusSucceeded, Checks: report}, true, true},
		{pipeline.Result{Status: pipeline.StatusSucceeded}, true, false},
		{pipeline.Result{Status: pipeline.StatusSucceeded}, false, true},
		{pipeline.Result{Status: pipeline.StatusSucceeded, Checks: report}, false, false},
		{pipeline.Result{Status: pipeline.StatusNoop}, true, true},
		{pipeline.Result{Status: pipeline.StatusNoop}, false, true},
	} {
		if err := checksAsAsked(&c.res, c.checks); (err == nil) != c.ok {
			t.Errorf("%s load, checks %v, report %v: error %v, want ok %v", c.res.Status, c.checks, c.res.Checks, err, c.ok)
		}
	}
}

// TestETLRunsTheChecks runs the benchmark's etl on the real sample, on
// DuckDB and PostgreSQL: the default command stores its check results with
// the load, --no-check stores none, and a rerun is a no-op.
func TestETLRunsTheChecks(t *testing.T) {
	sample := testutil.SampleDir(t)
	d := &dataset{songs: filepath.Join(sample, "song_data"), logs: filepath.Join(sample, "log_data")}
	work := t.TempDir()
	o := &options{bin: filepath.Join(work, "sparkify")}
	if out, err := exec.Command("go", "build", "-o", o.bin, "../cmd/sparkify").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, eng := range []string{"duckdb", "postgres"} {
		t.Run(eng, func(t *testing.T) {
			if eng == "postgres" {
				o.postgres = testutil.PostgresBase(t)
			}
			for _, checks := range []bool{true, false} {
				tg, err := newTarget(o, work, eng, fmt.Sprintf("test_%d_%v", os.Getpid(), checks))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(tg.drop)
				_, res, err := etl(o, tg, d, checks)
				if err != nil {
					t.Fatalf("etl, checks %v: %v", checks, err)
				}
				if stored := storedChecks(t, tg, res.LoadID); (stored > 0) != checks {
					t.Errorf("checks %v: %d check results stored for load %d", checks, stored, res.LoadID)
				}
				if _, res, err = etl(o, tg, d, checks); err != nil {
					t.Fatalf("rerun, checks %v: %v", checks, err)
				}
				if res.Status != pipeline.StatusNoop {
					t.Errorf("rerun, checks %v: status %s, want a no-op", checks, res.Status)
				}
			}
		})
	}
}

func storedChecks(t *testing.T, tg target, loadID int64) int {
	t.Helper()
	db, err := tg.open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM sparkify_checks WHERE load_id = $1", loadID).Scan(&n); err != nil {
		t.Fatalf("count the stored check results: %v", err)
	}
	return n
}
