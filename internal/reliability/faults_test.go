package reliability

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// halfLoaded is a warehouse holding the first half of the data set's logs,
// with the other half added to its log folder but not loaded yet.
type halfLoaded struct {
	dsn, logs string
	base      star // the star after the first half
}

func loadHalf(t *testing.T, dsn string, ds *dataset) *halfLoaded {
	t.Helper()
	h := &halfLoaded{dsn: dsn, logs: filepath.Join(t.TempDir(), "logs")}
	half := len(ds.logs) / 2
	ds.linkLogs(t, h.logs, 0, half)
	mustRun(t, childEnv(t), etlArgs(ds, h.logs, dsn)...)
	h.base = dumpDSN(t, dsn)
	ds.linkLogs(t, h.logs, half, len(ds.logs))
	return h
}

// failedClearly checks a load failed with exit code 1, a message that
// contains every one of want, and no Go panic.
func failedClearly(t *testing.T, what string, code int, stderr string, want ...string) {
	t.Helper()
	if code != 1 {
		t.Errorf("%s: exit %d, want 1\n%s", what, code, stderr)
	}
	for _, w := range want {
		if !strings.Contains(strings.ToLower(stderr), strings.ToLower(w)) {
			t.Errorf("%s: the error does not say %q:\n%s", what, w, stderr)
		}
	}
	if strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("%s: crashed:\n%s", what, stderr)
	}
}

// withoutDACOverride is a command prefix that takes away root's power to
// ignore file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so
// chmod means for the child what it means for everyone else; nil when the
// tests do not run as root. It skips the test when root cannot drop them.
func withoutDACOverride(t *testing.T) []string {
	if os.Geteuid() != 0 {
		return nil
	}
	wrap := []string{"setpriv", "--bounding-set", "-dac_override,-dac_read_search"}
	probe := filepath.Join(t.TempDir(), "probe")
	must(t, os.WriteFile(probe, nil, 0))
	if err := exec.Command(wrap[0], append(wrap[1:], "cat", probe)...).Run(); err == nil {
		t.Skip("running as root and setpriv cannot drop CAP_DAC_OVERRIDE: chmod cannot make a file unreadable here")
	}
	return wrap
}

// TestUnreadableInputFile makes one log file unreadable (chmod 000; as
// root the child runs without CAP_DAC_OVERRIDE): the load fails naming the
// file, the earlier load is intact, and once the file is readable again a
// rerun completes.
func TestUnreadableInputFile(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			wrap := withoutDACOverride(t)
			ref := reference(t, e, ds)
			h := loadHalf(t, e.dsn(t), ds)
			victim := filepath.Join(h.logs, ds.logs[len(ds.logs)-1])
			must(t, os.Chmod(victim, 0))
			p := start(t, childEnv(t), wrap, etlArgs(ds, h.logs, h.dsn)...)
			p.stdin.Close()
			code := p.wait(3 * time.Minute)
			failedClearly(t, "unreadable file", code, p.stderr(), victim, "permission denied")
			sameStar(t, "after the failed load", dumpDSN(t, h.dsn), h.base)
			must(t, os.Chmod(victim, 0o644))
			mustRun(t, childEnv(t), etlArgs(ds, h.logs, h.dsn)...)
			sameStar(t, "after the rerun", dumpDSN(t, h.dsn), ref.star)
			checkNotDoubled(t, h.dsn, ds, 2)
		})
	}
}

// TestInputFileBecomesFolder lists a log file, then (with the load held at
// its stage step) replaces it with a folder of the same name: reading it
// fails the load with a message naming it; the earlier load is intact and
// a rerun with the file back completes.
func TestInputFileBecomesFolder(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			ref := reference(t, e, ds)
			h := loadHalf(t, e.dsn(t), ds)
			victim := filepath.Join(h.logs, ds.logs[len(ds.logs)-1])
			data, err := os.ReadFile(victim)
			must(t, err)
			p := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE=stage"), nil, etlArgs(ds, h.logs, h.dsn)...)
			p.waitFor("paused at stage", 3*time.Minute)
			must(t, os.Remove(victim))
			must(t, os.Mkdir(victim, 0o755))
			p.resume()
			code := p.wait(3 * time.Minute)
			failedClearly(t, "file replaced by a folder", code, p.stderr(), victim, "is a directory")
			sameStar(t, "after the failed load", dumpDSN(t, h.dsn), h.base)
			must(t, os.Remove(victim))
			must(t, os.WriteFile(victim, data, 0o644))
			mustRun(t, childEnv(t), etlArgs(ds, h.logs, h.dsn)...)
			sameStar(t, "after the rerun", dumpDSN(t, h.dsn), ref.star)
			checkNotDoubled(t, h.dsn, ds, 2)
		})
	}
}
