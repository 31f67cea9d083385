package reliability

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
)

// engine is a kind of warehouse a test runs on.
type engine struct {
	name string
	// dsn returns the DSN of a fresh, empty warehouse for the test.
	dsn func(t testing.TB) string
	// hostileDSN is a cheaper fresh warehouse for the many small loads of
	// the hostile-input cases: DuckDB in memory (the file layer is tested by
	// the crash and fault tests).
	hostileDSN func(t testing.TB) string
}

// allEngines are the engines every reliability test runs on. PostgreSQL is
// skipped without SPARKIFY_TEST_POSTGRES (and fails under scripts/test.sh,
// which requires it).
var allEngines = []engine{
	{"duckdb", duckdbFile, func(testing.TB) string { return "duckdb::memory:" }},
	{"postgres", testutil.Postgres, testutil.Postgres},
}

func duckdbFile(t testing.TB) string { return "duckdb:" + filepath.Join(t.TempDir(), "w.duckdb") }

// openWarehouse opens dsn in this process; it is closed when the test ends.
func openWarehouse(t testing.TB, dsn string) warehouse.Warehouse {
	t.Helper()
	wh, err := engines.Open(context.Background(), dsn, warehouse.Options{}, false)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { wh.Close() })
	return wh
}

// withWarehouse opens dsn in this process for fn only: a DuckDB file must
// be free again for the next sparkify process.
func withWarehouse(t testing.TB, dsn string, fn func(wh warehouse.Warehouse)) {
	t.Helper()
	wh, err := engines.Open(context.Background(), dsn, warehouse.Options{}, false)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	defer wh.Close()
	fn(wh)
}

// awaitLoadLockFree waits until the load lock of dsn can be taken: after a
// SIGKILL, PostgreSQL keeps the dead client's advisory lock until its
// backend has noticed the closed connection and ended, which a load
// started a moment later can race (and refuse, exit 4). The lock is the
// warehouse's own, taken and let go through its Session.
func awaitLoadLockFree(t testing.TB, dsn string) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		withWarehouse(t, dsn, func(wh warehouse.Warehouse) {
			sess, serr := wh.Session(ctx)
			if serr != nil {
				err = serr
				return
			}
			defer sess.Close()
			err = sess.Lock(ctx, false)
		})
		switch {
		case err == nil:
			return
		case !errors.Is(err, warehouse.ErrLocked):
			t.Fatalf("take the load lock of %s: %v", dsn, err)
		case time.Now().After(deadline):
			t.Fatalf("the load lock of %s was still held 30s after its holder was killed", dsn)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// longTests reports whether the long variants were asked for.
func longTests() bool { return os.Getenv("SPARKIFY_LONG_TESTS") == "1" }

// queryInt runs a query that returns one integer.
func queryInt(t testing.TB, q warehouse.Querier, query string, args ...any) int64 {
	t.Helper()
	res, err := warehouse.Query(context.Background(), q, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", query, res.Rows)
	}
	switch v := res.Rows[0][0].(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case nil:
		return 0
	}
	t.Fatalf("%s: not an integer: %T %v", query, res.Rows[0][0], res.Rows[0][0])
	return 0
}

// queryStrings runs a query and returns its rows with every value rendered
// canonically, cells joined by "|".
func queryStrings(t testing.TB, q warehouse.Querier, query string, args ...any) []string {
	t.Helper()
	res, err := warehouse.Query(context.Background(), q, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	out := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		for j, v := range row {
			if j > 0 {
				out[i] += "|"
			}
			out[i] += canon(v)
		}
	}
	return out
}
