package cli

import (
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
)

// emptyWarehouse creates a DuckDB warehouse with the schema and no data.
func emptyWarehouse(t *testing.T) []string {
	t.Helper()
	wh := tempWarehouse(t)
	if r := runCLI(t, nil, append([]string{"schema", "-q"}, wh...)...); r.code != 0 {
		t.Fatalf("schema: %s", r.err)
	}
	return wh
}

// TestSQLRunsOneStatement: several statements are refused on every engine
// before anything runs; a trailing semicolon, or one inside a string, is
// still one statement.
func TestSQLRunsOneStatement(t *testing.T) {
	for _, wh := range [][]string{emptyWarehouse(t), {"--warehouse", pgRole(t)}} {
		r := runCLI(t, nil, append([]string{"sql", "SELECT 1 AS a; SELECT 2 AS b"}, wh...)...)
		if r.code != ExitUsage || !strings.Contains(r.err, "2 statements") || r.out != "" {
			t.Errorf("%s: two statements: exit %d, stdout %q, stderr %q", wh[1], r.code, r.out, r.err)
		}
		r = runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT 'a;b' AS s;"}, wh...)...)
		if r.code != 0 || r.out != "s\na;b\n" {
			t.Errorf("%s: one statement: exit %d, stdout %q, stderr %q", wh[1], r.code, r.out, r.err)
		}
	}
}

// TestSQLTimeoutOnPostgres: PostgreSQL's statement_timeout cancels the
// query (the server's own message says so).
func TestSQLTimeoutOnPostgres(t *testing.T) {
	testutil.PostgresBase(t)
	r := runCLI(t, nil, "sql", "--timeout", "200ms", "SELECT pg_sleep(30)", "--warehouse", pgRole(t))
	if r.code != ExitFailure || !strings.Contains(r.err, "statement timeout") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
}

// TestSQLTimeoutOnDuckDB: DuckDB is interrupted through the context.
func TestSQLTimeoutOnDuckDB(t *testing.T) {
	long := "SELECT COUNT(*) FROM range(1000000) a, range(1000000) b WHERE (a.range * b.range) % 7 = 3"
	r := runCLI(t, nil, append([]string{"sql", "--timeout", "10ms", long}, emptyWarehouse(t)...)...)
	if r.code != ExitFailure || !strings.Contains(r.err, "longer than --timeout 10ms") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
	}
}
