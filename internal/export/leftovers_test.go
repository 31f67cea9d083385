package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestLeftoversOfKilledExportsGo: the staging folders that killed exports
// left beside the export folder are deleted by the next export when their
// process is gone (or, without a pid file, when they are over a minute
// old); a running export's staging folder stays.
func TestLeftoversOfKilledExportsGo(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 1)), true)
	out := filepath.Join(t.TempDir(), "lake")

	// A process that has exited: its pid is free (the kernel does not
	// reuse it within this test).
	done := exec.Command("true")
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	leftover := func(name string, pid int, age time.Duration) string {
		p := filepath.Join(filepath.Dir(out), name)
		if err := os.MkdirAll(filepath.Join(p, "songplays"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "songplays", "data_0.parquet"), []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
		if pid != 0 {
			if err := os.WriteFile(p+pidSuffix, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().Add(-age)
		os.Chtimes(p, old, old)
		return p
	}
	leftover("lake.tmp-dead", done.Process.Pid, 0)
	leftover("lake.tmp-nopid", 0, time.Hour)
	leftover("lake.tmp-young", 0, 0)
	leftover("lake.tmp-alive", os.Getppid(), time.Hour) // the go tool running this test

	export(t, wh, Options{Out: out})
	want := []string{"lake", "lake.tmp-alive", "lake.tmp-alive.pid", "lake.tmp-young"}
	if got := siblings(t, out); !slices.Equal(got, want) {
		t.Errorf("beside the export after it ran: %v, want %v", got, want)
	}
}
