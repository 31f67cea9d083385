package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// duckdbFault is a way to break the disk under a DuckDB warehouse for one
// load: it returns the command prefix of the failing load and undoes the
// fault.
type duckdbFault struct {
	name string
	// apply breaks the disk for dir (the warehouse's folder) and returns
	// the prefix to run sparkify with; fix undoes it.
	apply func(t *testing.T, dir string) (wrap []string, fix func())
	// says are words the error must contain.
	says []string
	// loads: the fault does not stop a load, which must then complete.
	loads bool
}

// duckdbFaults: a read-only folder and file, a read-only folder only (a
// load writes only the database file itself: each COMMIT is a checkpoint
// that skips the WAL, so no file is made beside it, and the load
// completes), and a disk that fills up: a file
// size limit (RLIMIT_FSIZE via prlimit, so writes fail with EFBIG; Go
// ignores SIGXFSZ) works for anyone, a real ENOSPC needs a tiny tmpfs,
// which root can mount in a private mount namespace (see TestDuckDBFullTmpfs).
var duckdbFaults = []duckdbFault{
	{
		name: "read-only folder and file",
		apply: func(t *testing.T, dir string) ([]string, func()) {
			wrap := withoutDACOverride(t)
			must(t, os.Chmod(filepath.Join(dir, "w.duckdb"), 0o444))
			must(t, os.Chmod(dir, 0o555))
			return wrap, func() { os.Chmod(dir, 0o755); os.Chmod(filepath.Join(dir, "w.duckdb"), 0o644) }
		},
		says: []string{"w.duckdb", "permission denied"},
	},
	{
		name: "read-only folder",
		apply: func(t *testing.T, dir string) ([]string, func()) {
			wrap := withoutDACOverride(t)
			must(t, os.Chmod(dir, 0o555))
			return wrap, func() { os.Chmod(dir, 0o755) }
		},
		loads: true,
	},
	{
		name: "file size limit",
		apply: func(t *testing.T, dir string) ([]string, func()) {
			if _, err := exec.LookPath("prlimit"); err != nil {
				t.Skip("prlimit (util-linux) not installed")
			}
			const limit = 256 << 10 // far below what the load writes
			// SIGXFSZ ignored, so a write past the limit fails with EFBIG
			// in every thread, DuckDB's own included.
			return []string{"sh", "-c", `trap '' XFSZ; exec "$@"`, "sh",
				"prlimit", fmt.Sprintf("--fsize=%d:%d", limit, limit), "--"}, func() {}
		},
		says: []string{"too large"},
	},
}

// TestDuckDBDiskFaults breaks the disk under a DuckDB warehouse that holds
// an earlier load, runs the next load (which must fail with a clear error,
// or complete where the fault does not touch what a load writes), checks
// the earlier load is intact, removes the fault and checks a rerun
// completes.
func TestDuckDBDiskFaults(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	e := allEngines[0]
	ref := reference(t, e, ds)
	for _, f := range duckdbFaults {
		t.Run(f.name, func(t *testing.T) {
			h := loadHalf(t, e.dsn(t), ds)
			dir := filepath.Dir(strings.TrimPrefix(h.dsn, "duckdb:"))
			wrap, fix := f.apply(t, dir)
			t.Cleanup(fix)
			p := start(t, childEnv(t), wrap, etlArgs(ds, h.logs, h.dsn)...)
			p.stdin.Close()
			code := p.wait(3 * time.Minute)
			if f.loads {
				fix()
				if code != 0 {
					t.Fatalf("%s: exit %d, want the load to complete:\n%s", f.name, code, p.stderr())
				}
				sameStar(t, "after the load", dumpDSN(t, h.dsn), ref.star)
				checkNotDoubled(t, h.dsn, ds, 2)
				return
			}
			if p.signal != 0 {
				// Seen under load with the file size limit: DuckDB ends the
				// process from one of its own threads. No message, but the
				// warehouse must still be intact (checked below).
				t.Logf("FINDING %s: sparkify was killed by %v, without an error message:\n%s", f.name, p.signal, p.stderr())
			} else {
				failedClearly(t, f.name, code, p.stderr(), f.says...)
				t.Logf("%s: %s", f.name, firstErrorLine(p.stderr()))
			}
			fix()
			sameStar(t, "after the failed load", dumpDSN(t, h.dsn), h.base)
			mustRun(t, childEnv(t), etlArgs(ds, h.logs, h.dsn)...)
			sameStar(t, "after the rerun", dumpDSN(t, h.dsn), ref.star)
			checkNotDoubled(t, h.dsn, ds, 2)
		})
	}
}

// TestDuckDBFullTmpfs fills a real disk: the warehouse file is copied onto
// a tmpfs only a little larger than it, mounted in a private mount
// namespace (unshare -m, so nothing outlives the child and nothing is
// visible to other processes), and the load runs there until ENOSPC. The
// files are copied back out to check the earlier load is intact and to
// rerun on a disk with room. Needs root (or CAP_SYS_ADMIN) and unshare.
func TestDuckDBFullTmpfs(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	e := allEngines[0]
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	if err := exec.Command("unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt").Run(); err != nil {
		t.Skipf("cannot mount a tmpfs in a private mount namespace here: %v", err)
	}
	ref := reference(t, e, ds)
	h := loadHalf(t, e.dsn(t), ds)
	db := strings.TrimPrefix(h.dsn, "duckdb:")
	info, err := os.Stat(db)
	must(t, err)
	mnt := t.TempDir()
	size := info.Size() + 512<<10
	script := `mount -t tmpfs -o size="$1" tmpfs "$2" && cp "$3" "$2/w.duckdb" || exit 99
"$4" etl -q --songs "$5" --logs "$6" --warehouse "duckdb:$2/w.duckdb"; rc=$?
rm -f "$3" "$3.wal"; cp "$2"/w.duckdb* "$(dirname "$3")/"; exit $rc`
	wrap := []string{"unshare", "-m", "sh", "-c", script, "sh", fmt.Sprint(size), mnt, db}
	p := start(t, childEnv(t), wrap, ds.songs, h.logs)
	p.stdin.Close()
	code := p.wait(3 * time.Minute)
	if code == 99 {
		t.Fatalf("could not set up the tmpfs:\n%s", p.stderr())
	}
	failedClearly(t, "full disk", code, p.stderr(), "no space left on device")
	t.Logf("full tmpfs of %d bytes: %s", size, firstErrorLine(p.stderr()))
	sameStar(t, "after the failed load", dumpDSN(t, h.dsn), h.base)
	mustRun(t, childEnv(t), etlArgs(ds, h.logs, h.dsn)...)
	sameStar(t, "after the rerun", dumpDSN(t, h.dsn), ref.star)
	checkNotDoubled(t, h.dsn, ds, 2)
}

func firstErrorLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "error:") {
			return l
		}
	}
	return strings.TrimSpace(stderr)
}
