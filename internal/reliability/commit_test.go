package reliability

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/cli"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// minCommitWindow is the least time after a load leaves its pause before
// COMMIT over which the trials below strike, spread evenly; when a COMMIT
// takes longer here, the window is twice as long as one took, so that the
// strikes land before, inside and after it.
const minCommitWindow = 50 * time.Millisecond

// commitTrials is how many loads each case of the tests below interrupts.
func commitTrials() int {
	if longTests() {
		return 40
	}
	return 6
}

// commitCase is a load to interrupt around its COMMIT: a first load into a
// warehouse with an empty star, or an incremental one on top of the first
// half of the logs.
type commitCase struct {
	name          string
	before, after star
	window        time.Duration // see minCommitWindow
	// setup makes a fresh warehouse as the load finds it and returns its
	// DSN and the log folder to load.
	setup func(t *testing.T) (dsn, logs string)
}

// commitCases are the cold and the incremental load of the data set on
// engine e, with the star each must leave when not committed and when
// committed.
func commitCases(t *testing.T, e engine, ds *dataset) []commitCase {
	ref := reference(t, e, ds)
	half := len(ds.logs) / 2
	firstHalf := filepath.Join(t.TempDir(), "half")
	ds.linkLogs(t, firstHalf, 0, half)
	halfDSN := e.dsn(t)
	out := mustRun(t, childEnv(t), etlArgs(ds, firstHalf, halfDSN, "--json")...)
	window := max(minCommitWindow, 2*commitTook(t, out))
	base := dumpDSN(t, halfDSN)
	return []commitCase{
		{"cold", emptyStar(), base, window, func(t *testing.T) (string, string) {
			dsn := e.dsn(t)
			mustRun(t, childEnv(t), "schema", "--warehouse", dsn)
			return dsn, firstHalf
		}},
		{"incremental", base, ref.star, window, func(t *testing.T) (string, string) {
			dsn := e.dsn(t)
			logs := filepath.Join(t.TempDir(), "logs")
			ds.linkLogs(t, logs, 0, half)
			mustRun(t, childEnv(t), etlArgs(ds, logs, dsn)...)
			ds.linkLogs(t, logs, half, len(ds.logs))
			return dsn, logs
		}},
	}
}

// outcome says whether got is the star before the load or after it, and
// fails the test when it is neither: a half-committed load.
func (c commitCase) outcome(t *testing.T, what string, got star) string {
	t.Helper()
	switch {
	case len(warehousetest.DiffStar(got, c.before)) == 0:
		return "before"
	case len(warehousetest.DiffStar(got, c.after)) == 0:
		return "after"
	}
	d := warehousetest.DiffStar(got, c.after)
	if len(d) > 10 {
		d = d[:10]
	}
	t.Fatalf("%s: the star is neither as before the load nor as after it (a partly committed load); against the committed load:\n%v", what, d)
	return ""
}

// strikeAt is trial i's delay after the load leaves its pause: 0 to the
// whole window, spaced quadratically, since the first milliseconds of a
// COMMIT are where DuckDB wrote its WAL (half of the trials fall in the
// first quarter of the window).
func (c commitCase) strikeAt(i, trials int) time.Duration {
	f := float64(i) / float64(max(trials-1, 1))
	return time.Duration(f * f * float64(c.window))
}

// strikeInCommit starts trial i of trials: a load of the case held at its
// pause before COMMIT, let go on, and delay later returned, for the caller
// to strike; also its warehouse and log folder.
func (c commitCase) strikeInCommit(t *testing.T, ds *dataset, i, trials int) (p *proc, dsn, logs string, delay time.Duration) {
	t.Helper()
	dsn, logs = c.setup(t)
	p = start(t, childEnv(t, "SPARKIFY_TEST_PAUSE="+pipeline.StepCommit), nil, etlArgs(ds, logs, dsn)...)
	p.waitFor("paused at "+pipeline.StepCommit, 3*time.Minute)
	delay = c.strikeAt(i, trials)
	p.resume()
	time.Sleep(delay)
	return p, dsn, logs, delay
}

// commitTook is how long the COMMIT of a load took, from its 'etl --json'
// output.
func commitTook(t *testing.T, etlJSON string) time.Duration {
	t.Helper()
	var res pipeline.Result
	if err := json.Unmarshal([]byte(etlJSON), &res); err != nil {
		t.Fatalf("etl --json: %v\n%s", err, etlJSON)
	}
	for _, st := range res.Timings {
		if st.Step == "commit" {
			return time.Duration(st.MS) * time.Millisecond
		}
	}
	t.Fatalf("etl --json has no commit timing:\n%s", etlJSON)
	return 0
}

// TestKillInsideCommit holds a load just before its COMMIT, lets it go on
// and kills it with SIGKILL 0-50 ms later (longer if a COMMIT takes
// longer here, see minCommitWindow): before, inside and after the
// COMMIT (on DuckDB the COMMIT is the checkpoint that installs the load in
// the file). Each trial must leave the star exactly as before the load or
// exactly as after it, with the run recorded as succeeded exactly when the
// load is in; a rerun after the first and the last trial completes it. On
// DuckDB before this test's fix a kill 0-30 ms into COMMIT left songplays
// and time of the load and nothing else.
func TestKillInsideCommit(t *testing.T) {
	t.Parallel()
	trials := commitTrials()
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			// DuckDB's commit takes another path for loads larger than a
			// few row groups (see generatedData), where its bug was; a
			// PostgreSQL COMMIT is one WAL record whatever the size, and
			// the sample keeps its trials quick.
			ds := sampleData(t)
			if e.name == "duckdb" {
				ds = generatedData(t)
			}
			for _, c := range commitCases(t, e, ds) {
				landed := map[string]int{}
				for i := range trials {
					p, dsn, logs, delay := c.strikeInCommit(t, ds, i, trials)
					p.kill()
					awaitLoadLockFree(t, dsn)
					what := fmt.Sprintf("%s load killed %s after leaving its pause before COMMIT", c.name, delay)
					got := c.outcome(t, what, dumpDSN(t, dsn))
					landed[got]++
					succeeded := countDSN(t, dsn, "SELECT COUNT(*) FROM sparkify_runs WHERE status = 'succeeded'")
					want := int64(0)
					if c.name == "incremental" {
						want = 1 // the first half's load
					}
					if got == "after" {
						want++
					}
					if succeeded != want {
						t.Errorf("%s: the star is as %s the load, but %d succeeded runs are recorded (want %d)", what, got, succeeded, want)
					}
					if i == 0 || i == trials-1 {
						mustRun(t, childEnv(t), etlArgs(ds, logs, dsn)...)
						sameStar(t, what+", then rerun", dumpDSN(t, dsn), c.after)
					}
				}
				report(t, "commit: %d SIGKILLs on %s 0-%s into a %s load's COMMIT (%d events); the star as before the load %d times, as after it %d times, never a mix",
					trials, e.name, c.window, c.name, ds.lines, landed["before"], landed["after"])
			}
		})
	}
}

// TestSignalInsideCommit sends SIGTERM (what Ctrl-C and service managers
// send) 0-50 ms (or longer, as above) after a load leaves its pause
// before COMMIT. Before COMMIT
// the load is cancelled: exit 130 and the star as before. Once COMMIT has
// begun it runs to its end: the load is in, recorded once as succeeded,
// and the exit code says so (5, or 0 when the signal came after the
// command was done with the load). A load is never recorded as both
// succeeded and failed.
func TestSignalInsideCommit(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	trials := commitTrials()
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			for _, c := range commitCases(t, e, ds) {
				codes := map[int]int{}
				for i := range trials {
					p, dsn, _, delay := c.strikeInCommit(t, ds, i, trials)
					code := p.terminate(time.Minute)
					codes[code]++
					what := fmt.Sprintf("%s load sent SIGTERM %s after leaving its pause before COMMIT (exit %d)", c.name, delay, code)
					got := c.outcome(t, what, dumpDSN(t, dsn))
					want := map[int]string{cli.ExitCancelled: "before", cli.ExitCommittedInterrupted: "after", cli.ExitOK: "after"}[code]
					if want == "" || got != want {
						t.Fatalf("%s: the star is as %s the load; exit %d should leave it as %q:\n%s", what, got, code, want, p.stderr())
					}
					loadID := countDSN(t, dsn, "SELECT MAX(load_id) FROM sparkify_runs")
					states := countDSN(t, dsn, fmt.Sprintf("SELECT COUNT(*) FROM sparkify_runs WHERE load_id = %d", loadID))
					if states != 1 {
						t.Errorf("%s: load %d is recorded %d times in sparkify_runs (succeeded and failed?)", what, loadID, states)
					}
				}
				report(t, "commit: %d SIGTERMs on %s 0-%s into a %s load's COMMIT (%d events); exit codes %v, the star and the run record agreeing with each",
					trials, e.name, c.window, c.name, ds.lines, codes)
			}
		})
	}
}
