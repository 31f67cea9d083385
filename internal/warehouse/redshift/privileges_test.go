package redshift

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sparkify/sparkify/internal/testutil"
)

// TestLoginPrivilegesOnTheEmulation runs Redshift's login_privileges block
// on PostgreSQL, whose pg_user has the same usesuper column: the test
// server's user is a superuser (the block reads session_user, which
// SET ROLE does not change, so only a superuser login is tested here).
func TestLoginPrivilegesOnTheEmulation(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testutil.PostgresBase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	q, err := Statements().Text("login_privileges")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	rows, err := conn.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	if rows.Err() != nil || len(got) != 1 || got[0] != "superuser" {
		t.Fatalf("superuser login: %v %v", got, rows.Err())
	}
}
