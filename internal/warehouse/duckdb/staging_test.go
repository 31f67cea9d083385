package duckdb_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestStagedRowsOfUnfinishedLoads covers DuckDB's two-phase load (see
// sql/staging.sql): the rows a load commits before its star stay out of
// sight until the load completes, and are deleted when it does not.
func TestStagedRowsOfUnfinishedLoads(t *testing.T) {
	wh := open(t)
	defer wh.Close()
	db := wh.DB()
	count := func(q string) int64 {
		t.Helper()
		var n int64
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	data := warehousetest.CopySample(t, 1)
	warehousetest.Load(t, wh, data)
	visible := count("SELECT COUNT(*) FROM staging_events")
	if visible == 0 || count("SELECT COUNT(*) FROM sparkify_staged_events") != visible {
		t.Fatalf("after a load the view shows %d rows, the table holds %d: want the same, not 0",
			visible, count("SELECT COUNT(*) FROM sparkify_staged_events"))
	}

	// A load that fails after committing its staged rows deletes them.
	warehousetest.AddSampleDay(t, data, 2)
	boom := errors.New("injected failure")
	_, err := warehousetest.TryLoad(t, wh, data, func(o *pipeline.Options) {
		o.OnStep = func(_ context.Context, step string) error {
			if step == pipeline.StepTransformed {
				return boom
			}
			return nil
		}
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	if n := count("SELECT COUNT(*) FROM sparkify_staged_events"); n != visible {
		t.Errorf("after the failed load the table holds %d rows, want the %d of the first load", n, visible)
	}

	// A load killed between its two transactions leaves rows of a load no
	// one marked visible: the view hides them, the next load deletes them.
	const killed = 999999
	if _, err := db.Exec("INSERT INTO sparkify_staged_events SELECT * REPLACE (? AS load_id) FROM sparkify_staged_events", killed); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT COUNT(*) FROM staging_events"); n != visible {
		t.Errorf("the view shows %d rows with an unfinished load's, want %d", n, visible)
	}
	warehousetest.Load(t, wh, data)
	if n := count("SELECT COUNT(*) FROM sparkify_staged_events WHERE load_id = 999999"); n != 0 {
		t.Errorf("%d rows of the unfinished load are left after the next load", n)
	}
	all, shown := count("SELECT COUNT(*) FROM sparkify_staged_events"), count("SELECT COUNT(*) FROM staging_events")
	if all != shown || shown <= visible {
		t.Errorf("after the second day: table %d rows, view %d, first day %d: want table = view > first day", all, shown, visible)
	}
}
