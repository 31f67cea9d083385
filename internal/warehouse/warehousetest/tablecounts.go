package warehousetest

import (
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// starTables are the tables a load reports rows and deltas for.
var starTables = []string{"songplays", "users", "songs", "artists", "time", "user_levels", "sessions"}

// starCounts counts the rows of every star table.
func starCounts(t *testing.T, q warehouse.Querier) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range starTables {
		out[table] = count(t, q, "SELECT COUNT(*) FROM "+table)
	}
	return out
}

// checkTableCounts: the rows and deltas a load reported are what the star
// tables hold after it and how much each grew or shrank, counted here.
func checkTableCounts(t *testing.T, what string, res *pipeline.Result, before, after map[string]int64) {
	t.Helper()
	for _, table := range starTables {
		got := res.Table(table)
		if got == nil {
			t.Errorf("%s: no count reported for %s", what, table)
			continue
		}
		if got.Rows != after[table] || got.Delta != after[table]-before[table] {
			t.Errorf("%s: %s reported %d rows (%+d), the table holds %d (%+d)",
				what, table, got.Rows, got.Delta, after[table], after[table]-before[table])
		}
	}
}
