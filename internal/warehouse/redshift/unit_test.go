package redshift

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

func TestLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"s3://bucket/log_data/2018-11-01-events.json": "'s3://bucket/log_data/2018-11-01-events.json'",
		"arn:aws:iam::123456789012:role/sparkify":     "'arn:aws:iam::123456789012:role/sparkify'",
		"s3://b/O'Brien's songs/x.json":               "'s3://b/O''Brien''s songs/x.json'",
		"s3://b/'; DROP TABLE songs; --":              "'s3://b/''; DROP TABLE songs; --'",
		"s3://b/Björk – Jóga.json":                    "'s3://b/Björk – Jóga.json'",
		"":                                            "''",
	} {
		got, err := Literal(in)
		if err != nil || got != want {
			t.Errorf("Literal(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`s3://b/a\b.json`, "s3://b/a\x00b", "s3://b/line\nbreak", "s3://b/\x7f", "s3://b/\xff"} {
		if got, err := Literal(bad); !errors.Is(err, ErrUnquotable) {
			t.Errorf("Literal(%q) = %q, %v; want ErrUnquotable", bad, got, err)
		}
	}
	if Ident(`we"ird`) != `"we""ird"` || Ident("raw") != `"raw"` {
		t.Errorf("Ident quoting")
	}
}

func TestManifestListsExactlyTheFilesAsMandatory(t *testing.T) {
	m, err := NewManifest([]string{"s3://stage/a.json", "s3://data/song_data/A/B/C/TRABC.json"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Entries []struct {
			URL       string `json:"url"`
			Mandatory *bool  `json:"mandatory"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(m.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Entries) != 2 || doc.Entries[1].URL != "s3://data/song_data/A/B/C/TRABC.json" {
		t.Fatalf("entries %+v", doc.Entries)
	}
	for _, e := range doc.Entries {
		if e.Mandatory == nil || !*e.Mandatory {
			t.Errorf("entry %s is not mandatory", e.URL)
		}
	}
	if _, err := NewManifest(nil); err == nil {
		t.Error("an empty manifest was accepted")
	}
	if _, err := NewManifest([]string{"/tmp/a.json"}); err == nil {
		t.Error("a local path was accepted in a manifest")
	}
}

func TestJSONPathsMatchTheCopyColumns(t *testing.T) {
	var doc struct {
		JSONPaths []string `json:"jsonpaths"`
	}
	if err := json.Unmarshal(EventJSONPaths(), &doc); err != nil {
		t.Fatal(err)
	}
	cols := EventColumns()
	if len(doc.JSONPaths) != len(cols) || len(cols) != 18 {
		t.Fatalf("%d paths for %d columns", len(doc.JSONPaths), len(cols))
	}
	for i, p := range doc.JSONPaths {
		field := strings.TrimSuffix(strings.TrimPrefix(p, "$['"), "']")
		if !strings.EqualFold(field, cols[i]) {
			t.Errorf("path %d %s feeds column %s", i, p, cols[i])
		}
	}
	// The copy_events_begin table has these columns, in this order.
	body, _ := Statements().Text("copy_events_begin")
	last := -1
	for _, c := range cols {
		i := strings.Index(body, "\n    "+c+" ")
		if i < last {
			t.Errorf("column %s missing or out of order in tmp_copy_events", c)
		}
		last = i
	}
}

func TestDSN(t *testing.T) {
	got, err := PostgresDSN("redshift://awsuser:s3cret@sparkify.abc123.us-west-2.redshift.amazonaws.com/dev")
	if err != nil || got != "postgres://awsuser:s3cret@sparkify.abc123.us-west-2.redshift.amazonaws.com:5439/dev?sslmode=require" {
		t.Errorf("PostgresDSN = %q, %v", got, err)
	}
	if got, _ := PostgresDSN("redshift://u@h:5440/db?sslmode=verify-full"); got != "postgres://u@h:5440/db?sslmode=verify-full" {
		t.Errorf("explicit port and sslmode: %q", got)
	}
	if _, err := PostgresDSN("postgres://u@h/db"); err == nil {
		t.Error("a postgres DSN was taken for Redshift")
	}
	if d := Describe("redshift://u:pw@h:5439/db"); strings.Contains(d, "pw") {
		t.Errorf("Describe leaks the password: %s", d)
	}
	if r := RegionOf("redshift://u@sparkify.abc123.eu-central-1.redshift.amazonaws.com:5439/dev"); r != "eu-central-1" {
		t.Errorf("RegionOf = %q", r)
	}
	if r := RegionOf("redshift://u@localhost:5439/dev"); r != "" {
		t.Errorf("RegionOf(localhost) = %q", r)
	}
}

// TestServerless: a Serverless endpoint
// (WORKGROUP.ACCOUNT.REGION.redshift-serverless.amazonaws.com, "Connecting
// to Amazon Redshift Serverless" in the Management Guide) picks the
// Serverless statements; ?serverless= says it for other hosts and is not
// sent to the server.
func TestServerless(t *testing.T) {
	for dsn, want := range map[string]bool{
		"redshift://u@sparkify.123456789012.us-west-2.redshift-serverless.amazonaws.com:5439/dev": true,
		"redshift://u@SPARKIFY.123456789012.US-WEST-2.REDSHIFT-SERVERLESS.AMAZONAWS.COM/dev":      true,
		"redshift://u@sparkify.abc123.us-west-2.redshift.amazonaws.com:5439/dev":                  false,
		"redshift://u@localhost:5439/dev":                                                         false,
		"redshift://u@localhost:5439/dev?serverless=true":                                         true,
		"redshift://u@wg.1.us-east-1.redshift-serverless.amazonaws.com/dev?serverless=false":      false,
		"redshift://u@evil.redshift-serverless.amazonaws.com.example.com/dev":                     false,
	} {
		if got := Serverless(dsn); got != want {
			t.Errorf("Serverless(%s) = %v, want %v", dsn, got, want)
		}
		set, _ := statementsFor(dsn).Text("copy_errors")
		if uses := strings.Contains(set, "sys_load_error_detail"); uses != want {
			t.Errorf("%s: the load errors read from SYS views = %v, want %v", dsn, uses, want)
		}
	}
	got, err := PostgresDSN("redshift://u@localhost:5439/dev?serverless=true")
	if err != nil || strings.Contains(got, "serverless") {
		t.Errorf("PostgresDSN keeps sparkify's parameter: %q, %v", got, err)
	}
}

func TestCopyRefusesWhatItCannotQuote(t *testing.T) {
	ok := Copy{Table: "tmp_copy_songs", Manifest: "s3://stage/m.manifest", IAMRole: "arn:aws:iam::1:role/r", MaxError: 1}
	for name, mod := range map[string]func(*Copy){
		"backslash in manifest": func(c *Copy) { c.Manifest = `s3://stage/a\b.manifest` },
		"no role":               func(c *Copy) { c.IAMRole = "" },
		"role not an ARN":       func(c *Copy) { c.IAMRole = "sparkify-role" },
		"region with a quote":   func(c *Copy) { c.Region = "us-west-2' GZIP '" },
		"jsonpaths newline":     func(c *Copy) { c.JSONPaths = "s3://stage/j\n.json" },
	} {
		c := ok
		mod(&c)
		if text, err := c.Render(Statements()); err == nil {
			t.Errorf("%s: rendered %s", name, text)
		}
	}
	c := ok
	c.MaxError = 1 << 40
	text, err := c.Render(Statements())
	if err != nil || !strings.Contains(text, "MAXERROR 100000") {
		t.Errorf("MAXERROR is not capped at Redshift's limit: %s %v", text, err)
	}
}

func TestArgsFor(t *testing.T) {
	args := []any{1, 2, 3}
	for stmt, want := range map[string]int{
		"SELECT 1":          0,
		"SELECT $1":         1,
		"SELECT $2, $1":     2,
		"SELECT $12":        0,
		"SELECT $1, $3":     3,
		"SELECT '$1' || $1": 1,
	} {
		if got := len(sqlset.Args(stmt, args)); got != want {
			t.Errorf("sqlset.Args(%q) passes %d args, want %d", stmt, got, want)
		}
	}
	if valuesList(2, 3) != "($1, $2, $3), ($4, $5, $6)" {
		t.Errorf("valuesList = %s", valuesList(2, 3))
	}
}
