package reliability

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// star is a dump of every star table (see warehousetest.DumpStar).
type star map[string][]string

// dumpDSN opens a warehouse, dumps its star and closes it again (a DuckDB
// file must be free for the next sparkify process).
func dumpDSN(t testing.TB, dsn string) star {
	t.Helper()
	var s star
	withWarehouse(t, dsn, func(wh warehouse.Warehouse) { s = warehousetest.DumpStar(t, wh.DB()) })
	return s
}

// count runs SELECT COUNT(*) on a closed-after-use warehouse.
func countDSN(t testing.TB, dsn, query string) int64 {
	t.Helper()
	var n int64
	withWarehouse(t, dsn, func(wh warehouse.Warehouse) { n = queryInt(t, wh.DB(), query) })
	return n
}

// sameStar fails the test when two dumps differ.
func sameStar(t testing.TB, what string, got, want star) {
	t.Helper()
	if d := warehousetest.DiffStar(got, want); len(d) > 0 {
		t.Fatalf("%s: star differs:\n%s", what, strings.Join(d, "\n"))
	}
}

// emptyStar is the star of a warehouse that never loaded anything.
func emptyStar() star {
	s := star{}
	for name := range warehousetest.StarQueries {
		s[name] = []string{}
	}
	return s
}

// refLoad is an uninterrupted load of the whole data set: its star and
// how long the process took.
type refLoad struct {
	star star
	took time.Duration
}

var (
	refMu sync.Mutex
	refs  = map[string]*refLoad{}
)

// reference loads the whole data set into a fresh warehouse of engine e,
// uninterrupted, once per engine and data set, and checks the play count against the
// data set's.
func reference(t *testing.T, e engine, ds *dataset) *refLoad {
	t.Helper()
	refMu.Lock()
	defer refMu.Unlock()
	key := e.name + " " + ds.root
	if r := refs[key]; r != nil {
		return r
	}
	dsn := e.dsn(t)
	logs := filepath.Join(t.TempDir(), "logs")
	ds.linkLogs(t, logs, 0, len(ds.logs))
	sparkifyBin(t) // build first: the time is the load's
	begin := time.Now()
	mustRun(t, childEnv(t), etlArgs(ds, logs, dsn)...)
	r := &refLoad{star: dumpDSN(t, dsn), took: time.Since(begin)}
	if n := int64(len(r.star["songplays"])); n != ds.plays {
		t.Fatalf("reference load made %d songplays, the data set has %d plays", n, ds.plays)
	}
	t.Logf("%s: an uninterrupted load of %d event lines took %s", e.name, ds.lines, r.took.Round(time.Millisecond))
	refs[key] = r
	return r
}

// etlArgs are the arguments of a quiet load of the data set's songs and
// the log folder logs into dsn.
func etlArgs(ds *dataset, logs, dsn string, extra ...string) []string {
	return append([]string{"etl", "-q", "--songs", ds.songs, "--logs", logs, "--warehouse", dsn}, extra...)
}
