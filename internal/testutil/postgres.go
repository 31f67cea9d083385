package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresBase returns the DSN of the test PostgreSQL server named by
// SPARKIFY_TEST_POSTGRES (scripts/test.sh starts one). Without it the test
// is skipped, or fails when SPARKIFY_REQUIRE_POSTGRES is set (as in CI), so
// a suite that should exercise PostgreSQL cannot silently not.
func PostgresBase(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("SPARKIFY_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("SPARKIFY_REQUIRE_POSTGRES") != "" {
			t.Fatal("SPARKIFY_TEST_POSTGRES is not set but SPARKIFY_REQUIRE_POSTGRES is: run the tests with scripts/test.sh")
		}
		t.Skip("no test PostgreSQL: set SPARKIFY_TEST_POSTGRES or run scripts/test.sh")
	}
	return dsn
}

// Postgres returns a DSN for a fresh, empty schema in the test server. The
// schema is dropped when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	base := PostgresBase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	return WithSearchPath(base, schema)
}

// WithSearchPath adds search_path=schema to a DSN.
func WithSearchPath(dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
