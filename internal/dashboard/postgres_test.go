package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestDashboardOverPostgresMatchesDuckDB loads the same data (the sample
// and its hostile song) into PostgreSQL and serves the dashboard from it,
// opened read-only as sparkify serve opens it: every chart, under every
// filter, and the page say what they say over DuckDB. Needs the test
// PostgreSQL (SPARKIFY_TEST_POSTGRES, from scripts/postgres.sh).
func TestDashboardOverPostgresMatchesDuckDB(t *testing.T) {
	dsn := testutil.Postgres(t)
	duck := newServer(t)
	_, data := loadedWarehouse(t)
	wh, err := engines.Open(context.Background(), dsn, warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	warehousetest.Load(t, wh, data)
	wh.Close()
	open := func(ctx context.Context) (warehouse.Warehouse, error) {
		return engines.Open(ctx, dsn, warehouse.Options{ReadOnly: true, Sandboxed: true}, true)
	}
	pg := httptest.NewServer(dashboard.New(dashboard.Options{Open: open, LoopbackOnly: true}))
	defer pg.Close()

	for _, q := range []string{"", "?top=50", "?level=paid", "?level=free&top=3", "?from=2018-11-10&to=2018-11-20&level=paid",
		"?from=2018-11-29", "?to=2018-11-01", "?from=2018-12-01"} {
		want, got := apiData(t, duck, q), apiData(t, pg, q)
		if len(want.Runs) != 1 || len(got.Runs) != 1 {
			t.Fatalf("%s: runs %+v over DuckDB, %+v over PostgreSQL", q, want.Runs, got.Runs)
		}
		// The run itself took its own time on each.
		for _, r := range []*dashboard.Run{&want.Runs[0], &got.Runs[0]} {
			r.Started, r.DurationMS = time.Time{}, 0
		}
		w, _ := json.MarshalIndent(want, "", " ")
		g, _ := json.MarshalIndent(got, "", " ")
		if string(w) != string(g) {
			t.Errorf("%s: PostgreSQL and DuckDB disagree:\n%s", q, firstDifference(string(w), string(g)))
		}
		if q == "" && (want.Summary.Plays == 0 || len(want.TopSongs) < 2 || len(want.Conversions) == 0) {
			t.Errorf("the data shows too little to compare: %+v", want.Summary)
		}
	}
	// The page draws the same charts and tables.
	_, want := get(t, duck.URL+"/?top=20")
	_, got := get(t, pg.URL+"/?top=20")
	if w, g := pageCharts(want), pageCharts(got); w != g || w == "" {
		t.Errorf("the pages disagree:\n%s", firstDifference(w, g))
	}
}

// pageCharts is the part of a page between the totals and the runs: the
// charts' options and tables.
func pageCharts(page string) string {
	_, rest, _ := strings.Cut(page, `<section class="kpis"`)
	body, _, _ := strings.Cut(rest, `<section class="runs">`)
	return body
}

// firstDifference shows the lines around the first line two texts differ.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		if i >= len(al) || i >= len(bl) || al[i] != bl[i] {
			from, to := max(0, i-3), i+3
			return "DuckDB:\n" + strings.Join(al[from:min(to, len(al))], "\n") + "\nPostgreSQL:\n" + strings.Join(bl[from:min(to, len(bl))], "\n")
		}
	}
	return ""
}
