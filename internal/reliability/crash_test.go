package reliability

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
)

// pauseSteps are the points of a load, in the order a load reaches them,
// where the test-only SPARKIFY_TEST_PAUSE hook can hold 'sparkify etl':
// before staging; during staging, with the song files staged and the log
// files not yet read; after staging; during the transform, with songplays
// rebuilt but time and users not yet; after the transform; just before
// COMMIT; and after COMMIT but before the warehouse is closed (DuckDB's
// checkpoint).
var pauseSteps = []string{
	pipeline.StepStage, pipeline.StepStaging, pipeline.StepStaged,
	pipeline.StepTransforming, pipeline.StepTransformed, pipeline.StepCommit,
	"committed",
}

// TestCrashAtEachStep kills 'sparkify etl' with SIGKILL at every step of a
// first load into an empty warehouse, then at every step of an incremental
// load on top of it; each time it checks that the warehouse still holds
// what it held before the load (or the new load, once committed) and that
// the load had announced the steps before it in order. Then it reruns the
// load and compares the star with an uninterrupted load of everything.
func TestCrashAtEachStep(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			ref := reference(t, e, ds)
			half := len(ds.logs) / 2
			// The first half, loaded uninterrupted elsewhere: what the
			// first load must leave once committed.
			firstHalf := filepath.Join(t.TempDir(), "logs")
			ds.linkLogs(t, firstHalf, 0, half)
			dsnHalf := e.dsn(t)
			mustRun(t, childEnv(t), etlArgs(ds, firstHalf, dsnHalf)...)
			base := dumpDSN(t, dsnHalf)
			if len(base["songplays"]) == 0 || len(base["songplays"]) >= len(ref.star["songplays"]) {
				t.Fatalf("the first half made %d songplays of %d: not a part of the data", len(base["songplays"]), len(ref.star["songplays"]))
			}

			dsn := e.dsn(t)
			logs := filepath.Join(t.TempDir(), "logs")
			ds.linkLogs(t, logs, 0, half)
			// A warehouse that never loaded: the schema, an empty star.
			mustRun(t, childEnv(t), "schema", "--warehouse", dsn)
			killed := 0
			killAtEachStep := func(load string, before, after star) {
				for _, step := range pauseSteps {
					p := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE="+step), nil, etlArgs(ds, logs, dsn)...)
					p.waitFor("paused at "+step, 3*time.Minute)
					p.kill()
					awaitLoadLockFree(t, dsn)
					if p.signal != syscall.SIGKILL {
						t.Fatalf("%s load, %s: sparkify ended with exit %d before the kill:\n%s", load, step, p.code, p.stderr())
					}
					killed++
					if got, want := announced(p.stderr()), stepsTo(step); !slices.Equal(got, want) {
						t.Errorf("%s load held at %s: announced steps %v, want %v", load, step, got, want)
					}
					want, what := before, "what it held before the load"
					if step == "committed" {
						want, what = after, "the committed load"
					}
					sameStar(t, fmt.Sprintf("%s load killed at %s: the warehouse should hold %s", load, step, what), dumpDSN(t, dsn), want)
				}
			}
			killAtEachStep("first", emptyStar(), base)
			out := mustRun(t, childEnv(t), etlArgs(ds, logs, dsn, "--json")...)
			if !strings.Contains(out, `"status": "noop"`) {
				t.Errorf("the first load, committed before its last kill, was not kept: the rerun loaded again:\n%s", out)
			}
			ds.linkLogs(t, logs, half, len(ds.logs))
			killAtEachStep("incremental", base, ref.star)
			out = mustRun(t, childEnv(t), etlArgs(ds, logs, dsn, "--json")...)
			if !strings.Contains(out, `"status": "noop"`) {
				t.Errorf("the load committed before the last kill was not kept: the rerun loaded again:\n%s", out)
			}
			sameStar(t, "after the rerun", dumpDSN(t, dsn), ref.star)
			checkNotDoubled(t, dsn, ds, 2)
			report(t, "crash: %d SIGKILLs on %s at fixed steps of a first and an incremental load (%s); after each, the star as before the load (or after it, once committed); after the rerun, equal to an uninterrupted load",
				killed, e.name, strings.Join(pauseSteps, ", "))
		})
	}
}

// announced is the steps a process announced on stderr, in order: those it
// went through ("sparkify-test: step NAME") and the one it paused at.
func announced(stderr string) []string {
	var steps []string
	for _, l := range strings.Split(stderr, "\n") {
		if s, ok := strings.CutPrefix(l, "sparkify-test: step "); ok {
			steps = append(steps, s)
		} else if s, ok := strings.CutPrefix(l, "sparkify-test: paused at "); ok {
			steps = append(steps, s)
		}
	}
	return steps
}

// stepsTo is pauseSteps up to and including step.
func stepsTo(step string) []string {
	return pauseSteps[:slices.Index(pauseSteps, step)+1]
}

// TestCrashAtRandomMoments kills loads into a fresh warehouse after random
// fractions of an uninterrupted load's time (so during start-up, staging,
// the transform, the checks or the commit), checks the star is either
// empty or complete, never in between, then reruns and compares.
func TestCrashAtRandomMoments(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	kills := 3
	if longTests() {
		kills = 12
	}
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			ref := reference(t, e, ds)
			seed := time.Now().UnixNano()
			rng := rand.New(rand.NewPCG(uint64(seed), 0))
			t.Logf("seed %d", seed)
			landed := map[string]int{}
			for i := range kills {
				dsn := e.dsn(t)
				logs := filepath.Join(t.TempDir(), "logs")
				ds.linkLogs(t, logs, 0, len(ds.logs))
				// Spread the kills over the load: kill i falls in the i-th
				// slice of [10%, 100%) of the reference time.
				frac := 0.1 + 0.9*(float64(i)+rng.Float64())/float64(kills)
				delay := time.Duration(frac * float64(ref.took))
				p := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE=-"), nil, etlArgs(ds, logs, dsn)...)
				time.Sleep(delay)
				p.kill()
				awaitLoadLockFree(t, dsn)
				// Where the kill landed is up to timing; what the load
				// announced before it is not: the steps in order, all of
				// them if it finished first.
				steps := announced(p.stderr())
				last := lastStep(p.stderr())
				if p.signal != syscall.SIGKILL {
					if p.code != 0 || !slices.Equal(steps, pauseSteps) {
						t.Errorf("load not killed, but exit %d after steps %v (want 0 after %v):\n%s", p.code, steps, pauseSteps, p.stderr())
					}
					last = "finished"
				} else if len(steps) > len(pauseSteps) || !slices.Equal(steps, pauseSteps[:len(steps)]) {
					t.Errorf("load killed after %s announced steps %v, not in the order %v", delay, steps, pauseSteps)
				}
				landed[last]++
				// A kill during start-up may leave the schema half made
				// (each migration is its own transaction): complete it.
				mustRun(t, childEnv(t), "schema", "--warehouse", dsn)
				got := dumpDSN(t, dsn)
				if len(got["songplays"]) > 0 {
					sameStar(t, fmt.Sprintf("kill after %s (last step %s): a partly visible load", delay, last), got, ref.star)
				} else {
					sameStar(t, fmt.Sprintf("kill after %s (last step %s)", delay, last), got, emptyStar())
				}
				mustRun(t, childEnv(t), etlArgs(ds, logs, dsn)...)
				sameStar(t, fmt.Sprintf("rerun after the kill at %s", delay), dumpDSN(t, dsn), ref.star)
				checkNotDoubled(t, dsn, ds, 1)
			}
			report(t, "crash: %d SIGKILLs on %s at random moments of a load; the last step each had reached: %s", kills, e.name, landedSummary(landed))
		})
	}
}

// landedSummary lists where kills landed, in the order of a load.
func landedSummary(landed map[string]int) string {
	var out []string
	for _, s := range append(append([]string{"start"}, pauseSteps...), "finished") {
		if n := landed[s]; n > 0 {
			out = append(out, fmt.Sprintf("%s %d", s, n))
		}
	}
	return strings.Join(out, ", ")
}

// lastStep is the last step a process announced on stderr ("start" when
// none yet).
func lastStep(stderr string) string {
	last := "start"
	for _, l := range strings.Split(stderr, "\n") {
		if s, ok := strings.CutPrefix(l, "sparkify-test: step "); ok {
			last = s
		}
	}
	return last
}

// checkNotDoubled checks that staging holds every event line once and that
// exactly succeeded loads were committed.
func checkNotDoubled(t *testing.T, dsn string, ds *dataset, succeeded int64) {
	t.Helper()
	if n := countDSN(t, dsn, "SELECT COUNT(*) FROM staging_events"); n != ds.lines {
		t.Errorf("staging_events holds %d rows, the data set has %d lines", n, ds.lines)
	}
	if n := countDSN(t, dsn, "SELECT COUNT(*) FROM sparkify_runs WHERE status = 'succeeded'"); n != succeeded {
		t.Errorf("%d succeeded runs recorded, want %d", n, succeeded)
	}
}
