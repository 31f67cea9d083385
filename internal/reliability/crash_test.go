package reliability

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pauseSteps are the points of a load where the test-only
// SPARKIFY_TEST_PAUSE hook can hold 'sparkify etl': before staging, after
// staging, after the transform, just before COMMIT, and after COMMIT but
// before the warehouse is closed (DuckDB's checkpoint).
var pauseSteps = []string{"stage", "staged", "transformed", "commit", "committed"}

// TestCrashAtEachStep kills 'sparkify etl' with SIGKILL at every step of an
// incremental load on top of an earlier one, checks each time that the
// warehouse still holds the earlier load exactly (or the new one, once
// committed), then reruns it and compares the star with an uninterrupted
// load of everything.
func TestCrashAtEachStep(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			ref := reference(t, e, ds)
			dsn := e.dsn(t)
			logs := filepath.Join(t.TempDir(), "logs")
			half := len(ds.logs) / 2
			ds.linkLogs(t, logs, 0, half)
			mustRun(t, childEnv(t), etlArgs(ds, logs, dsn)...)
			base := dumpDSN(t, dsn)
			ds.linkLogs(t, logs, half, len(ds.logs))

			for _, step := range pauseSteps {
				p := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE="+step), nil, etlArgs(ds, logs, dsn)...)
				p.waitFor("paused at "+step, 3*time.Minute)
				p.kill()
				if p.signal != syscall.SIGKILL {
					t.Fatalf("%s: sparkify ended with exit %d before the kill:\n%s", step, p.code, p.stderr())
				}
				want, what := base, "the earlier load"
				if step == "committed" {
					want, what = ref.star, "the committed load"
				}
				sameStar(t, fmt.Sprintf("killed at %s: the warehouse should hold %s", step, what), dumpDSN(t, dsn), want)
			}
			out := mustRun(t, childEnv(t), etlArgs(ds, logs, dsn, "--json")...)
			if !strings.Contains(out, `"status": "noop"`) {
				t.Errorf("the load committed before the last kill was not kept: the rerun loaded again:\n%s", out)
			}
			sameStar(t, "after the rerun", dumpDSN(t, dsn), ref.star)
			checkNotDoubled(t, dsn, ds, 2)
		})
	}
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
				last := lastStep(p.stderr())
				if p.signal != syscall.SIGKILL {
					last = "finished"
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
			t.Logf("%d kills by time; the last step each had reached: %v", kills, landed)
		})
	}
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
