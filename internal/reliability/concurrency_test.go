package reliability

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/cli"
)

// TestSecondLoadRefusesOrWaits holds one load at its staged step and
// starts two more on the same warehouse: without --wait the second must
// refuse at once with exit code 4 and a clear message; with --wait the
// third must block until the first commits, then find nothing new. The
// result is one load, not two.
func TestSecondLoadRefusesOrWaits(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			ref := reference(t, e, ds)
			dsn := e.dsn(t)
			logs := filepath.Join(t.TempDir(), "logs")
			ds.linkLogs(t, logs, 0, len(ds.logs))

			first := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE=staged"), nil, etlArgs(ds, logs, dsn)...)
			first.waitFor("paused at staged", 3*time.Minute)

			out, errOut, code := run(t, childEnv(t), etlArgs(ds, logs, dsn)...)
			if code != cli.ExitLocked {
				t.Errorf("second load: exit %d, want %d\n%s%s", code, cli.ExitLocked, out, errOut)
			}
			if !strings.Contains(errOut, "another sparkify load is running") || !strings.Contains(errOut, "--wait") {
				t.Errorf("second load's message does not say what happened and what to do:\n%s", errOut)
			}

			waiter := start(t, childEnv(t), nil, etlArgs(ds, logs, dsn, "--wait", "--json")...)
			waiter.stdin.Close()
			time.Sleep(1500 * time.Millisecond)
			if !waiter.running() {
				t.Fatalf("the --wait load did not wait: exit %d\n%s%s", waiter.code, waiter.out.String(), waiter.stderr())
			}
			first.resume()
			if code := first.wait(3 * time.Minute); code != 0 {
				t.Fatalf("first load: exit %d\n%s", code, first.stderr())
			}
			if code := waiter.wait(3 * time.Minute); code != 0 {
				t.Fatalf("waiting load: exit %d\n%s", code, waiter.stderr())
			}
			if !strings.Contains(waiter.out.String(), `"status": "noop"`) {
				t.Errorf("the waiting load loaded again:\n%s", waiter.out.String())
			}
			sameStar(t, "after the three loads", dumpDSN(t, dsn), ref.star)
			checkNotDoubled(t, dsn, ds, 1)
		})
	}
}

// TestSimultaneousLoads starts two loads of the same files at the same
// moment, with and without --wait: every exit is 0 or 4 (busy), at least
// one load succeeds, and the warehouse holds the files once.
func TestSimultaneousLoads(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		for _, wait := range []bool{false, true} {
			name := e.name + "/refuse"
			if wait {
				name = e.name + "/wait"
			}
			t.Run(name, func(t *testing.T) {
				ref := reference(t, e, ds)
				dsn := e.dsn(t)
				logs := filepath.Join(t.TempDir(), "logs")
				ds.linkLogs(t, logs, 0, len(ds.logs))
				var extra []string
				if wait {
					extra = []string{"--wait"}
				}
				a := start(t, childEnv(t), nil, etlArgs(ds, logs, dsn, extra...)...)
				b := start(t, childEnv(t), nil, etlArgs(ds, logs, dsn, extra...)...)
				a.stdin.Close()
				b.stdin.Close()
				ca, cb := a.wait(3*time.Minute), b.wait(3*time.Minute)
				ok := func(c int) bool { return c == 0 || c == cli.ExitLocked && !wait }
				if !ok(ca) || !ok(cb) || ca != 0 && cb != 0 {
					t.Fatalf("exits %d and %d:\n%s\n%s", ca, cb, a.stderr(), b.stderr())
				}
				t.Logf("exit codes %d and %d", ca, cb)
				sameStar(t, "after two simultaneous loads", dumpDSN(t, dsn), ref.star)
				checkNotDoubled(t, dsn, ds, 1)
			})
		}
	}
}
