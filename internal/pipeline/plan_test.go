package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// eachEngine runs a test on DuckDB and on PostgreSQL, with a fresh
// warehouse for every call of open.
func eachEngine(t *testing.T, test func(t *testing.T, open func() warehouse.Warehouse)) {
	for _, eng := range []string{"duckdb", "postgres"} {
		t.Run(eng, func(t *testing.T) {
			n := 0
			open := func() warehouse.Warehouse {
				n++
				dsn := "duckdb:" + filepath.Join(t.TempDir(), "w.duckdb")
				if eng == "postgres" {
					dsn = testutil.Postgres(t)
				}
				wh, err := engines.Open(context.Background(), dsn, warehouse.Options{}, false)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { wh.Close() })
				return wh
			}
			test(t, open)
		})
	}
}

func source(t *testing.T, res *pipeline.Result, kind string) pipeline.SourceResult {
	t.Helper()
	s := res.Source(kind)
	if s == nil {
		t.Fatalf("no %s source in the result", kind)
	}
	return *s
}

func sameStar(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	if d := warehousetest.DiffStar(got, want); len(d) > 0 {
		t.Errorf("%s: star differs:\n%s", what, strings.Join(d, "\n"))
	}
}

// TestTouchedFileIsNotReloaded: a file with a new mtime but the same bytes
// is recognised by its content and not reloaded (the rerun changes
// nothing), and its new version is recorded so the next run does not read
// it again; a same-size edit is reloaded.
func TestTouchedFileIsNotReloaded(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() warehouse.Warehouse) {
		data := warehousetest.CopySample(t, 3)
		wh := open()
		warehousetest.Load(t, wh, data)
		before := warehousetest.DumpStar(t, wh.DB())
		logs := warehousetest.LogFiles(t, data.Logs)
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(logs[1], later, later); err != nil {
			t.Fatal(err)
		}

		res := warehousetest.Load(t, wh, data)
		l := source(t, res, pipeline.KindLog)
		if res.Status != pipeline.StatusNoop || l.FilesTouched != 1 || l.FilesChanged != 0 || l.FilesUnchanged != len(logs) {
			t.Errorf("after a touch: status %s, log files %+v; want a no-op with 1 touched of %d unchanged", res.Status, l, len(logs))
		}
		sameStar(t, "after a touch", warehousetest.DumpStar(t, wh.DB()), before)
		res = warehousetest.Load(t, wh, data)
		if l := source(t, res, pipeline.KindLog); l.FilesTouched != 0 || l.FilesUnchanged != len(logs) {
			t.Errorf("the run after: log files %+v; want the touched file's new version known", l)
		}

		// The same size, other bytes: one letter of the first user's first
		// name changes (user names are not part of an event's id).
		body, err := os.ReadFile(logs[1])
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(body, []byte(`"firstName":"`)) + len(`"firstName":"`)
		if body[i] == 'Q' {
			body[i] = 'Z'
		} else {
			body[i] = 'Q'
		}
		if err := os.WriteFile(logs[1], body, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(logs[1], later.Add(time.Hour), later.Add(time.Hour))
		res = warehousetest.Load(t, wh, data)
		if l := source(t, res, pipeline.KindLog); l.FilesChanged != 1 || l.FilesTouched != 0 {
			t.Errorf("after a same-size edit: log files %+v; want 1 changed", l)
		}
		fresh := open()
		warehousetest.Load(t, fresh, data)
		sameStar(t, "after a same-size edit, against a fresh load", warehousetest.DumpStar(t, wh.DB()), warehousetest.DumpStar(t, fresh.DB()))
	})
}

// TestRangedFullRefreshReplacesThoseDays: --full-refresh with --from/--to
// replaces exactly those days' plays with what the source holds now: a
// day whose file is gone loses its plays, the other days of the range are
// reloaded, nothing else is read (not even the song files), and the star
// equals a fresh load of the source as it is.
func TestRangedFullRefreshReplacesThoseDays(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() warehouse.Warehouse) {
		data := warehousetest.CopySample(t, 0)
		wh := open()
		warehousetest.Load(t, wh, data)
		logs := warehousetest.LogFiles(t, data.Logs)
		gone := ""
		for _, f := range logs {
			if strings.Contains(filepath.Base(f), "2018-11-06") {
				gone = f
			}
		}
		if gone == "" {
			t.Fatal("the sample has no 2018-11-06 log file")
		}
		if err := os.Remove(gone); err != nil {
			t.Fatal(err)
		}
		days, err := pipeline.ParseDateRange("2018-11-05", "2018-11-07")
		if err != nil {
			t.Fatal(err)
		}
		res := warehousetest.Load(t, wh, data, func(o *pipeline.Options) { o.FullRefresh, o.Days = true, days })
		s, l := source(t, res, pipeline.KindSong), source(t, res, pipeline.KindLog)
		if s.FilesNew+s.FilesChanged != 0 || s.LinesRead != 0 {
			t.Errorf("song files %+v: a ranged refresh read song files", s)
		}
		if l.FilesDropped != 1 || l.FilesChanged != 2 || l.FilesOutOfRange != len(logs)-3 {
			t.Errorf("log files %+v: want 1 dropped (11-06), 2 reloaded (11-05, 11-07), %d out of range", l, len(logs)-3)
		}
		fresh := open()
		warehousetest.Load(t, fresh, data)
		sameStar(t, "after the ranged refresh, against a fresh load", warehousetest.DumpStar(t, wh.DB()), warehousetest.DumpStar(t, fresh.DB()))
	})
}
