package redshift

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse/redshift/rslint"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// TestRedshiftDialect checks every statement that can run on Redshift -
// the engine's set (the portable blocks it does not override, and its
// own), the analysts' queries, the dashboard's, the quality checks and the
// export - for reserved words used as names, leader node-only functions in
// queries that read tables, and PostgreSQL constructs Redshift does not
// support (rslint names the AWS pages). The SQL examples of the CLI's help
// texts are checked in internal/cli (TestHelpSQLIsRedshiftSQL).
func TestRedshiftDialect(t *testing.T) {
	sets := map[string]*sqlset.Set{"redshift": Statements(), "redshift-serverless": ServerlessStatements()}
	for name, dir := range map[string]string{
		"analytics": "../../analytics/sql",
		"dashboard": "../../dashboard/sql",
		"quality":   "../../quality/sql",
		"export":    "../../export/sql",
	} {
		set, err := sqlset.Parse(os.DirFS(filepath.FromSlash(dir)))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if len(set.Names()) == 0 {
			t.Fatalf("%s: no blocks read", dir)
		}
		sets[name] = set
	}
	for setName, set := range sets {
		for _, name := range set.Names() {
			text, _ := set.Text(name)
			if strings.Contains(text, "{{") {
				continue // a template: its renderings are checked below
			}
			for _, f := range rslint.Check(text) {
				t.Errorf("%s %s [%s] %s", setName, name, set.Origin(name), f)
			}
		}
	}
	// The checks-file examples of the README (sql = ...).
	readme, err := os.ReadFile(filepath.FromSlash("../../../README.md"))
	if err != nil {
		t.Fatal(err)
	}
	examples := 0
	for _, line := range strings.Split(string(readme), "\n") {
		if sql, ok := strings.CutPrefix(line, "sql = "); ok {
			examples++
			for _, f := range rslint.Check(sql) {
				t.Errorf("README.md %q: %s", sql, f)
			}
		}
	}
	if examples == 0 {
		t.Error("no sql = example found in README.md")
	}
	// The COPY templates as rendered (the golden files of TestGoldenCopy).
	for _, name := range []string{"copy_logs.sql", "copy_songs.sql"} {
		text, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rslint.Check(string(text)) {
			t.Errorf("testdata/%s %s", name, f)
		}
	}
}
