package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/iostreams"
	"github.com/sparkify/sparkify/internal/warehouse/redshift/rslint"
)

// helpSQL finds the SQL of a help text: from SELECT to the end of the line
// or the closing quote.
var helpSQL = regexp.MustCompile(`(?i)\bSELECT\b[^"\n]*`)

// TestHelpSQLIsRedshiftSQL: every SQL example in the help texts runs on
// every engine, Redshift included - no reserved word as a name, no leader
// node-only function (such as CURRENT_TIMESTAMP) in a query of a table
// (rslint names the AWS pages it follows).
func TestHelpSQLIsRedshiftSQL(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	root := NewRootCmd(NewFactory(io, func(string) string { return "" }))
	found := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sql := range helpSQL.FindAllString(c.Long+"\n"+c.Example, -1) {
			found++
			for _, f := range rslint.Check(sql) {
				t.Errorf("%s help: %q: %s", c.CommandPath(), sql, f)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if found < 3 { // check's two and sql's two, at least
		t.Fatalf("found %d SQL examples in the help texts", found)
	}
}

// TestCheckHelpExampleRuns: the checks file shown by 'check --help' runs
// as it is on a loaded warehouse; the sample has no play after today.
func TestCheckHelpExampleRuns(t *testing.T) {
	wh := loadedWarehouse(t)
	r := runCLI(t, nil, "check", "--help")
	var ini []string
	for _, l := range strings.Split(r.out, "\n") {
		if strings.HasPrefix(l, "  [") || strings.HasPrefix(l, "  sql =") || strings.HasPrefix(l, "  expect =") ||
			strings.HasPrefix(l, "  min =") || strings.HasPrefix(l, "  severity =") {
			ini = append(ini, strings.TrimSpace(l))
		}
	}
	if len(ini) < 4 {
		t.Fatalf("no checks file in the help: %q", r.out)
	}
	checks := filepath.Join(t.TempDir(), "checks.cfg")
	if err := os.WriteFile(checks, []byte(strings.Join(ini, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, append([]string{"check", "--checks", checks, "--format", "csv"}, wh...)...)
	if !strings.Contains(r.out, "\nno_plays_from_the_future,error,pass,0,0,\n") {
		t.Errorf("exit %d, out %s, err %s", r.code, r.out, r.err)
	}
}
