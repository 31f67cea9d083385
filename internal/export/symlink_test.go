package export

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestOutThroughSymlink: --out naming a symlink (absolute, relative, a
// chain, dangling at first) exports into what the link names and swaps
// there: after each of two exports the link is still the same link, the
// target holds the latest export (read through the link), and nothing is
// left beside either — with the atomic exchange and its fallback.
func TestOutThroughSymlink(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 1)), true)
	want := warehouseDump(t, wh, []string{"users"})
	noExchange := func(a, b string) error { return errors.New("no exchange here") }
	for name, exchange := range map[string]func(a, b string) error{"exchange": nil, "fallback": noExchange} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, "data"), 0o755); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(root, "data", "lake-v1") // missing until the first export
			links := map[string]string{
				filepath.Join(root, "lake"):  "data/lake-v1", // relative, dangling at first
				filepath.Join(root, "chain"): filepath.Join(root, "lake"),
			}
			for link, to := range links {
				if err := os.Symlink(to, link); err != nil {
					t.Fatal(err)
				}
			}
			for i, out := range []string{filepath.Join(root, "lake"), filepath.Join(root, "chain")} {
				res := export(t, wh, Options{Out: out, Tables: []string{"users"}, exchange: exchange})
				if res.Location != out {
					t.Errorf("export %d: location %s, want %s", i, res.Location, out)
				}
				for link, to := range links {
					if got, err := os.Readlink(link); err != nil || got != to {
						t.Errorf("export %d: %s is now %q (%v), want the symlink to %s", i, link, got, err, to)
					}
				}
				m, err := ReadManifest(target)
				if err != nil {
					t.Fatalf("export %d: the link's target: %v", i, err)
				}
				if m.ID != res.Manifest.ID {
					t.Errorf("export %d: the target holds export %s, want %s", i, m.ID, res.Manifest.ID)
				}
				assertSame(t, "export read through the link", readBack(t, out), want)
				if s := siblings(t, target); !slices.Equal(s, []string{"lake-v1"}) {
					t.Errorf("export %d: beside the target: %v", i, s)
				}
				if s := siblings(t, out); !slices.Equal(s, []string{"chain", "data", "lake"}) {
					t.Errorf("export %d: beside the link: %v", i, s)
				}
			}
		})
	}
}
