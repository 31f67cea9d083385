package warehousetest

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// runQuery runs a named query and renders its rows as Oracle.QueryAnswer
// does: cells in Canon form joined by "|", level-split's share_pct with one
// decimal (engines return it as a double or a numeric).
func runQuery(t *testing.T, db warehouse.Querier, name string, args analytics.Args) []string {
	t.Helper()
	q, err := analytics.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analytics.Run(context.Background(), db, q, args)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// Every engine names level-split's columns alike (share_pct, not the
	// reserved PERCENT: Redshift refuses it as a name).
	if got := strings.Join(res.Columns, ","); name == "level-split" && got != "level,plays,share_pct" {
		t.Errorf("level-split columns: %s, want level,plays,share_pct", got)
	}
	out := []string{}
	for _, row := range res.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = Canon(v)
			if name == "level-split" && i == 2 {
				f, err := strconv.ParseFloat(cells[i], 64)
				if err != nil {
					t.Fatalf("level-split share_pct %q: %v", cells[i], err)
				}
				cells[i] = strconv.FormatFloat(f, 'f', 1, 64)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

// compareQuery checks a named query's rows, in order, against the oracle's.
func compareQuery(t *testing.T, db warehouse.Querier, o *Oracle, name string, args analytics.Args) []string {
	t.Helper()
	want, ok := o.QueryAnswer(name, args.Year, args.Limit, args.User)
	if !ok {
		t.Fatalf("named query %s has no oracle: add its computation from the raw files to Oracle.QueryAnswer", name)
	}
	got := runQuery(t, db, name, args)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s %+v returned:\n  %s\nthe raw files give:\n  %s", name, args,
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	return want
}

// checkAllQueries compares every named query with the oracle: the year
// ones for year (with the default limit and with one large enough to show
// every group, so the whole order is checked) and for a year without
// plays; level-history for every user and one unknown.
func checkAllQueries(t *testing.T, db warehouse.Querier, o *Oracle, year int) {
	t.Helper()
	var users []string
	for id := range o.Users {
		users = append(users, id)
	}
	sort.Strings(users)
	for _, q := range analytics.List() {
		switch {
		case q.Uses("user"):
			for _, u := range append(users, "no-such-user") {
				compareQuery(t, db, o, q.Name, analytics.Args{User: u})
			}
		case q.Uses("year"):
			for _, limit := range []int{analytics.DefaultLimit, 1 << 20} {
				compareQuery(t, db, o, q.Name, analytics.Args{Year: year, Limit: limit})
			}
			if rows := runQuery(t, db, q.Name, analytics.Args{Year: 1999, Limit: 5}); len(rows) != 0 {
				t.Errorf("%s: a year without plays gave %q", q.Name, rows)
			}
		default:
			compareQuery(t, db, o, q.Name, analytics.Args{})
		}
	}
}

// testNamedQueries runs every named query on the sample and compares each,
// row by row and in order, with its computation from the raw files.
func testNamedQueries(t *testing.T, open Opener) {
	wh := openT(t, open)
	data := CopySample(t, 0)
	o := NewOracle(t, data.Songs, data.Logs)
	Load(t, wh, data)
	year, err := strconv.Atoi(o.LatestYear())
	if err != nil {
		t.Fatalf("the sample has no plays: %v", err)
	}
	checkAllQueries(t, wh.DB(), o, year)
	// The sample matches few plays to the catalog; the catalog queries'
	// ordering and ties are proved on a fixture (testCatalogQueries).
	if n := len(o.TopSongs(year, 1<<20)); n == 0 {
		t.Errorf("the sample credits no play to a catalog song in %d: top-songs proves nothing here", year)
	}
	if len(o.Conversions("", "")) == 0 {
		t.Error("the sample has no level change: conversions proves nothing here")
	}
}
