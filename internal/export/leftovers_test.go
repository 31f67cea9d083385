package export

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestLeftoversOfKilledExportsGo: the next export deletes a staging folder
// beside the export folder only when the marker inside it is an export's
// and names a process of this host that is gone (one marked by markStaged
// in a process that then exited, one whose pid now belongs to a process
// started at another time). A user's folder that
// merely has the name (lake.tmp-mybackup, old, no marker), a marker
// without the magic line, another host's, a running process's and a
// symlink are all left alone.
func TestLeftoversOfKilledExportsGo(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 1)), true)
	out := filepath.Join(t.TempDir(), "lake")
	host, _ := os.Hostname()

	// A process that has exited: its pid is free (the kernel does not
	// reuse it within this test).
	done := exec.Command("true")
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	dead := done.Process.Pid
	parent := os.Getppid() // the go tool running this test: alive
	marker := func(pid int, host, start string) string {
		return fmt.Sprintf("%s\npid %d\nhost %s\nstart %s\n", markerMagic, pid, host, start)
	}
	leftover := func(name, markerText string) string {
		p := filepath.Join(filepath.Dir(out), name)
		if err := os.MkdirAll(filepath.Join(p, "songplays"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "songplays", "data_0.parquet"), []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
		if markerText != "" {
			if err := os.WriteFile(filepath.Join(p, stagingMarker), []byte(markerText), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().Add(-time.Hour)
		os.Chtimes(p, old, old)
		return p
	}
	leftover("lake.tmp-dead", marker(dead, host, ""))
	markedByDeadProcess(t, leftover("lake.tmp-killed", ""))
	leftover("lake.tmp-reused", marker(parent, host, "1")) // the pid now belongs to a process started at another time
	leftover("lake.tmp-mybackup", "")
	leftover("lake.tmp-nomagic", fmt.Sprintf("pid %d\nhost %s\n", dead, host))
	leftover("lake.tmp-otherhost", marker(dead, host+"-elsewhere", ""))
	leftover("lake.tmp-alive", marker(parent, host, processStart(parent)))
	leftover("lake.tmp-alive-nostart", marker(parent, host, ""))
	target := leftover("target", marker(dead, host, ""))
	if err := os.Symlink(target, filepath.Join(filepath.Dir(out), "lake.tmp-link")); err != nil {
		t.Fatal(err)
	}

	export(t, wh, Options{Out: out})
	want := []string{"lake", "lake.tmp-alive", "lake.tmp-alive-nostart", "lake.tmp-link", "lake.tmp-mybackup", "lake.tmp-nomagic", "lake.tmp-otherhost", "target"}
	if got := siblings(t, out); !slices.Equal(got, want) {
		t.Errorf("beside the export after it ran: %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(target, "songplays", "data_0.parquet")); err != nil {
		t.Errorf("the symlink's target lost its files: %v", err)
	}
}

// TestLiveExportStagingKept: while an export runs, a sweep for leftovers
// (as a second export to the same folder does) leaves its staging folder
// alone, and the published export holds no marker.
func TestLiveExportStagingKept(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 1)), true)
	out := filepath.Join(t.TempDir(), "lake")
	var during []string
	export(t, wh, Options{Out: out, Tables: []string{"users", "artists"}, afterTable: func(context.Context, string) error {
		if removed := removeLeftovers(out); len(removed) > 0 {
			t.Errorf("a sweep during the export removed %v", removed)
		}
		during = siblings(t, out)
		return nil
	}})
	if len(during) != 1 || !strings.HasPrefix(during[0], "lake.tmp-") {
		t.Errorf("during the export beside it: %v, want its staging folder", during)
	}
	if got := files(t, out); slices.Contains(got, stagingMarker) {
		t.Errorf("the published export holds the staging marker: %v", got)
	}
}

// markedByDeadProcess has another process (this test binary, run again)
// mark staged with markStaged and exit, as an export killed mid-way would.
func markedByDeadProcess(t *testing.T, staged string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMarkStagedHelper$")
	cmd.Env = append(os.Environ(), "SPARKIFY_TEST_MARK_STAGED="+staged)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mark %s from another process: %v %s", staged, err, out)
	}
	if o, ok := readMarker(staged); !ok || o.pid != cmd.Process.Pid {
		t.Fatalf("the marker of %s names %+v (valid %v), want pid %d", staged, o, ok, cmd.Process.Pid)
	}
}

// TestMarkStagedHelper is the other process of markedByDeadProcess.
func TestMarkStagedHelper(t *testing.T) {
	staged := os.Getenv("SPARKIFY_TEST_MARK_STAGED")
	if staged == "" {
		t.Skip("only run by markedByDeadProcess")
	}
	if err := markStaged(staged); err != nil {
		t.Fatal(err)
	}
}
