package cli

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// docSQL returns the first ```sql block after heading in docs/operations.md.
func docSQL(t *testing.T, doc, heading string) string {
	t.Helper()
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("docs/operations.md has no %q", heading)
	}
	rest := doc[i:]
	start := strings.Index(rest, "```sql\n")
	end := strings.Index(rest[start+7:], "```")
	if start < 0 || end < 0 {
		t.Fatalf("no sql block under %q", heading)
	}
	return rest[start+7 : start+7+end]
}

// TestOperationsDocRoles runs the loader and reader role SQL of
// docs/operations.md on the test server (names swapped for a test schema
// and fresh roles), loads the sample as the loader and reads as the reader.
func TestOperationsDocRoles(t *testing.T) {
	raw, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	dsn := testutil.Postgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema, db := u.Query().Get("search_path"), strings.TrimPrefix(u.Path, "/")
	loader := pgTempRole(t, "sparkify_loader_", "NOLOGIN")
	reader := pgTempRole(t, "sparkify_reader_", "NOLOGIN")
	pw := "pw" + loader
	// The documented CREATE ROLE statements create these names afresh.
	pgAdmin(t, "DROP ROLE "+loader, "DROP ROLE "+reader)
	swap := strings.NewReplacer("sparkify_loader", loader, "sparkify_reader", reader,
		"SCHEMA public", "SCHEMA "+schema, "DATABASE sparkify", "DATABASE "+db, "'change-me'", "'"+pw+"'")
	for _, heading := range []string{"### Loader role (PostgreSQL)", "### Reader role (PostgreSQL)"} {
		pgAdmin(t, sqlset.Split(swap.Replace(docSQL(t, doc, heading)))...)
	}
	as := func(role string) []string {
		v := *u
		v.User = url.UserPassword(role, pw)
		return []string{"--warehouse", v.String()}
	}
	r := runCLI(t, nil, append(append([]string{"etl", "-q", "--no-check"}, sampleArgs(t)...), as(loader)...)...)
	if r.code != 0 {
		t.Fatalf("etl as the loader: exit %d: %s", r.code, r.err)
	}
	count := func(role string) string {
		r := runCLI(t, nil, append([]string{"sql", "--format", "csv", "SELECT COUNT(*) AS n FROM songplays"}, as(role)...)...)
		if r.code != 0 {
			t.Fatalf("sql as %s: exit %d: %s", role, r.code, r.err)
		}
		return r.out
	}
	if got, want := count(reader), count(loader); got != want || got == "n\n0\n" {
		t.Fatalf("the reader counts %q plays, the loader %q", got, want)
	}
	if r := runCLI(t, nil, append([]string{"sql", "DELETE FROM songplays"}, as(reader)...)...); r.code == 0 {
		t.Error("the reader deleted plays")
	}
	for _, args := range [][]string{{"runs", "--json"}, {"query", "top-songs"}, {"check", "--json"}} {
		r := runCLI(t, nil, append(args, as(reader)...)...)
		if (r.code != 0 && r.code != ExitCheckFailed) || strings.Contains(r.err, "privileged") {
			t.Errorf("%s as the reader: exit %d: %s", args[0], r.code, r.err)
		}
	}
}
