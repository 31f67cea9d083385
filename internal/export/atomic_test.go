package export

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestRerunReplacesCleanly exports twice to one folder, the second time
// fewer tables and another format, with the atomic exchange and with its
// two-rename fallback: the folder holds exactly the second export, and
// nothing is left beside it.
func TestRerunReplacesCleanly(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 2)), true)
	want := warehouseDump(t, wh, []string{"users", "artists"})
	noExchange := func(a, b string) error { return errors.New("no exchange here") }
	for name, exchange := range map[string]func(a, b string) error{"exchange": nil, "fallback": noExchange} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "lake")
			first := export(t, wh, Options{Out: out, exchange: exchange})
			second := export(t, wh, Options{Out: out, Tables: []string{"users", "artists"}, Format: CSV, exchange: exchange})
			if first.Manifest.ID == second.Manifest.ID && first.Manifest.WrittenAt.Equal(second.Manifest.WrittenAt) {
				t.Errorf("both exports are %s", first.Manifest.ID)
			}
			assertSame(t, "second export", readBack(t, out), want)
			got := files(t, out)
			wantFiles := []string{"artists/data_0.csv", "manifest.json", "users/data_0.csv"}
			if !slices.Equal(got, wantFiles) {
				t.Errorf("export folder holds %v, want %v", got, wantFiles)
			}
			if s := siblings(t, out); !slices.Equal(s, []string{"lake"}) {
				t.Errorf("beside the export: %v", s)
			}
		})
	}
}

// TestInterruptedExportKeepsPrevious stops a second export midway, by a
// cancelled context and by a failed write: the first export is still
// there byte for byte and reads back whole, and the staging folder is gone.
func TestInterruptedExportKeepsPrevious(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 2)), true)
	want := warehouseDump(t, wh, Tables)
	out := filepath.Join(t.TempDir(), "lake")
	export(t, wh, Options{Out: out})
	before := snapshot(t, out)

	for _, stream := range []bool{false, true} {
		t.Run("cancel/"+writerName(stream), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := Run(ctx, wh, Options{Out: out, Format: CSV, stream: stream,
				afterTable: func(_ context.Context, table string) error {
					if table == "songs" {
						cancel() // as Ctrl-C would, while the next table is read
					}
					return nil
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			checkUntouched(t, out, before, want)
		})
		t.Run("write-failure/"+writerName(stream), func(t *testing.T) {
			injected := errors.New("no space left on device (injected)")
			_, err := Run(context.Background(), wh, Options{Out: out, stream: stream,
				afterTable: func(_ context.Context, table string) error {
					if table == "time" {
						return injected
					}
					return nil
				}})
			if !errors.Is(err, injected) {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			checkUntouched(t, out, before, want)
		})
	}
}

// TestRefusesForeignFolder: an export replaces only an empty folder or an
// earlier export, never a folder of other files.
func TestRefusesForeignFolder(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 1)), true)
	dir := t.TempDir()

	foreign := filepath.Join(dir, "home")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("keep me"), 0o644)
	_, err := Run(context.Background(), wh, Options{Out: foreign})
	if !errors.Is(err, ErrNotAnExport) {
		t.Errorf("export into a folder of other files: err = %v, want ErrNotAnExport", err)
	}
	if got := files(t, foreign); !slices.Equal(got, []string{"notes.txt"}) {
		t.Errorf("the folder now holds %v", got)
	}

	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := Run(context.Background(), wh, Options{Out: file}); !errors.Is(err, ErrNotAnExport) {
		t.Errorf("export onto a file: err = %v", err)
	}

	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	export(t, wh, Options{Out: empty, Tables: []string{"users"}})
	if _, err := ReadManifest(empty); err != nil {
		t.Errorf("export into an empty folder: %v", err)
	}
	if s := siblings(t, empty); !slices.Equal(s, []string{"empty", "file", "home"}) {
		t.Errorf("leftovers: %v", s)
	}
}

// snapshot reads every file of a folder.
func snapshot(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range files(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	return out
}

// checkUntouched: the export folder is exactly as before and nothing is
// left beside it.
func checkUntouched(t *testing.T, out string, before map[string][]byte, want map[string][]string) {
	t.Helper()
	after := snapshot(t, out)
	if len(after) != len(before) {
		t.Errorf("the previous export had %d files, now %d", len(before), len(after))
	}
	for f, b := range before {
		if !bytes.Equal(after[f], b) {
			t.Errorf("%s changed", f)
		}
	}
	assertSame(t, "previous export", readBack(t, out), want)
	if s := siblings(t, out); !slices.Equal(s, []string{"lake"}) {
		t.Errorf("beside the export: %v (staging left behind)", s)
	}
}

// TestEmptyWarehouse exports a warehouse with the schema and no load: no
// load id, zero rows, whole tables still one file (so readers see their
// columns), partitioned ones an empty folder; both writers agree.
func TestEmptyWarehouse(t *testing.T) {
	dsn := "duckdb:" + filepath.Join(t.TempDir(), "w.duckdb")
	wh := openWH(t, dsn, false)
	sess, err := wh.Session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Migrate(context.Background(), sess, wh.SQL()); err != nil {
		t.Fatal(err)
	}
	sess.Close()
	var listings [][]string
	for _, stream := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "lake")
		res := export(t, wh, Options{Out: out, stream: stream})
		if res.Manifest.LoadID != nil {
			t.Errorf("load id %d, want none", *res.Manifest.LoadID)
		}
		for _, tm := range res.Manifest.Tables {
			if tm.Rows != 0 {
				t.Errorf("%s: %d rows", tm.Name, tm.Rows)
			}
		}
		if entries, err := os.ReadDir(filepath.Join(out, "songplays")); err != nil || len(entries) != 0 {
			t.Errorf("songplays folder: %v entries, %v", len(entries), err)
		}
		assertSame(t, "empty export", readBackExisting(t, out), map[string][]string{"users": {}, "artists": {}, "user_levels": {}})
		listings = append(listings, files(t, out))
	}
	if !slices.Equal(listings[0], listings[1]) {
		t.Errorf("DuckDB wrote %v, the Go writer %v", listings[0], listings[1])
	}
}

// readBackExisting reads back the tables that have files.
func readBackExisting(t *testing.T, dir string) map[string][]string {
	t.Helper()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var kept []TableManifest
	for _, tm := range m.Tables {
		if tm.Files > 0 {
			kept = append(kept, tm)
		}
	}
	m.Tables = kept
	os.WriteFile(filepath.Join(dir, ManifestFile), m.encode(), 0o644)
	return readBack(t, dir)
}
