package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sparkify/sparkify/internal/testutil"
)

// pgAdmin runs statements on the test server as its superuser.
func pgAdmin(t *testing.T, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testutil.PostgresBase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, st := range stmts {
		if _, err := conn.Exec(ctx, st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

// pgTempRole creates a role named prefix + a random suffix with attrs
// ("LOGIN PASSWORD '...'", "NOLOGIN SUPERUSER"); it is dropped, with what
// it owns, when the test ends.
func pgTempRole(t *testing.T, prefix, attrs string) string {
	t.Helper()
	var b [5]byte
	rand.Read(b[:])
	role := prefix + hex.EncodeToString(b[:])
	pgAdmin(t, "CREATE ROLE "+role+" "+attrs)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), testutil.PostgresBase(t))
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP OWNED BY "+role+" CASCADE")
		c.Exec(context.Background(), "DROP ROLE "+role)
	})
	return role
}

// pgRole creates a login role on the test server (dropped when the test
// ends), runs grants (ROLE stands for it) as the server's superuser, and
// returns a DSN that logs in as the role.
func pgRole(t *testing.T, grants ...string) string {
	t.Helper()
	var b [5]byte
	rand.Read(b[:])
	pw := hex.EncodeToString(b[:]) + "Pw"
	role := pgTempRole(t, "sparkify_t_", "LOGIN PASSWORD '"+pw+"'")
	for _, g := range grants {
		pgAdmin(t, strings.ReplaceAll(g, "ROLE", role))
	}
	u, err := url.Parse(testutil.PostgresBase(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(role, pw)
	return u.String()
}

// TestPrivilegedLoginIsRefused: the test server's own user is a superuser;
// every command that runs user-written or chosen SQL refuses it before
// running anything.
func TestPrivilegedLoginIsRefused(t *testing.T) {
	dsn := testutil.PostgresBase(t)
	leak := filepath.Join(t.TempDir(), "pwned")
	for _, args := range [][]string{
		{"sql", "COPY (SELECT 1) TO '" + leak + "'"},
		{"query", "top-songs"},
		{"check"},
		{"runs"},
		{"report", "--out", "-"},
		{"serve", "--addr", "127.0.0.1:0"},
	} {
		r := runCLI(t, nil, append(args, "--warehouse", dsn)...)
		if r.code != ExitFailure || !strings.Contains(r.err, "privileged") || !strings.Contains(r.err, "superuser") ||
			!strings.Contains(r.err, "--allow-privileged") || r.out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args[0], r.code, r.out, r.err)
		}
	}
	if _, err := os.Stat(leak); !os.IsNotExist(err) {
		t.Errorf("the server wrote %s (stat: %v)", leak, err)
	}
}

func TestAllowPrivilegedWarns(t *testing.T) {
	dsn := testutil.PostgresBase(t)
	r := runCLI(t, nil, "sql", "--allow-privileged", "--format", "csv", "SELECT 41 + 1 AS n", "--warehouse", dsn)
	if r.code != 0 || r.out != "n\n42\n" || !strings.Contains(r.err, "warning: --allow-privileged") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
	}
}

// TestPlainRoleRunsAndServerRolesAreRefused: a role with no special
// privilege runs queries (and cannot write server files); membership of a
// server-file role, or of a superuser role, is refused.
func TestPlainRoleRunsAndServerRolesAreRefused(t *testing.T) {
	plain := pgRole(t)
	r := runCLI(t, nil, "sql", "--format", "csv", "SELECT 41 + 1 AS n", "--warehouse", plain)
	if r.code != 0 || r.out != "n\n42\n" || r.err != "" {
		t.Fatalf("plain role: exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
	}
	leak := filepath.Join(t.TempDir(), "pwned")
	if r := runCLI(t, nil, "sql", "COPY (SELECT 1) TO '"+leak+"'", "--warehouse", plain); r.code == 0 {
		t.Errorf("plain role wrote a server file: %q", r.out)
	}

	for want, grant := range map[string]string{
		"pg_read_server_files":      "GRANT pg_read_server_files TO ROLE",
		"pg_write_server_files":     "GRANT pg_write_server_files TO ROLE",
		"pg_execute_server_program": "GRANT pg_execute_server_program TO ROLE",
		"superuser":                 "GRANT " + superuserRole(t) + " TO ROLE",
	} {
		dsn := pgRole(t, grant)
		r := runCLI(t, nil, "sql", "SELECT 1", "--warehouse", dsn)
		if r.code != ExitFailure || !strings.Contains(r.err, want) || r.out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", grant, r.code, r.out, r.err)
		}
	}
}

// superuserRole creates a NOLOGIN superuser role (dropped at the end): a
// member may SET ROLE to it.
func superuserRole(t *testing.T) string {
	return pgTempRole(t, "sparkify_su_", "NOLOGIN SUPERUSER")
}

// TestKeywordDSNIsPostgresWithItsPasswordMasked: a libpq keyword/value DSN
// opens PostgreSQL, and errors show it with the password masked.
func TestKeywordDSNIsPostgresWithItsPasswordMasked(t *testing.T) {
	u, err := url.Parse(pgRole(t))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	kv := "host=" + u.Hostname() + " port=" + u.Port() + " user=" + u.User.Username() +
		" password=" + pw + " dbname=" + strings.TrimPrefix(u.Path, "/") + " sslmode=disable"
	r := runCLI(t, nil, "sql", "--format", "csv", "SELECT 2 * 21 AS n", "--warehouse", kv)
	if r.code != 0 || r.out != "n\n42\n" {
		t.Fatalf("keyword DSN: exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
	}
	bad := "host=127.0.0.1 port=1 user=me password=S3cr3tPw dbname=x connect_timeout=2 sslmode=disable"
	r = runCLI(t, nil, "sql", "SELECT 1", "--warehouse", bad)
	if r.code == 0 || strings.Contains(r.err, "S3cr3tPw") || !strings.Contains(r.err, "password=********") {
		t.Fatalf("unreachable keyword DSN: exit %d, stderr %q", r.code, r.err)
	}
}
