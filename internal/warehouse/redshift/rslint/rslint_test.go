package rslint

import (
	"strings"
	"testing"
)

// TestCheckFinds pins each rule on a statement that breaks it and on one
// that does not.
func TestCheckFinds(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want string // a substring of the only finding, "" for none
	}{
		// Reserved words ("Reserved words", r_pg_keywords.html).
		{"SELECT level, ROUND(1.0, 1) AS percent FROM songplays", "PERCENT is reserved"},
		{`SELECT level, ROUND(1.0, 1) AS "percent" FROM songplays`, ""},
		{"SELECT 1 AS share_pct FROM songplays", ""},
		{"SELECT s.tag FROM songs s", "TAG is reserved"},
		{"SELECT open FROM songs", "OPEN is reserved"},
		{"SELECT x.timestamp FROM t x", "TIMESTAMP is reserved"},
		{"SELECT CAST(ts AS TIMESTAMP) AS start_time FROM t", ""},
		{"CREATE TABLE t (id INT, offset INT, PRIMARY KEY (id))", "OFFSET is reserved"},
		{`CREATE TEMP TABLE IF NOT EXISTS t (id INT, "raw" VARCHAR(10), UNIQUE (id))`, ""},
		{"INSERT INTO t (id, partition) VALUES (1, 2)", "PARTITION is reserved"},
		{"INSERT INTO t (id, part) SELECT id, part FROM u", ""},
		{"CREATE TABLE t AS SELECT 1 AS a FROM u", ""},
		{"WITH x AS (SELECT 1 AS a FROM u) SELECT a FROM x", ""},
		{"-- a comment saying percent\nSELECT 'percent' FROM t", ""},
		// Leader node-only functions (c_SQL_functions_leader_node_only.html).
		{"SELECT COUNT(*) FROM songplays WHERE start_time > CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP is a deprecated"},
		{"SELECT COUNT(*) FROM songplays WHERE start_time > NOW()", "NOW is a deprecated"},
		{"SELECT COUNT(*) FROM songplays WHERE start_time > GETDATE()", ""},
		{"SELECT COUNT(*) FROM songplays WHERE start_time >= CURRENT_DATE + 1", ""},
		{"SELECT SUBSTR(title, 1, 2) FROM songs", "SUBSTR is leader node-only"},
		{"SELECT CURRENT_SCHEMA()", ""},
		{"SELECT CURRENT_SCHEMA() FROM pg_namespace", ""},
		{"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()", ""},
		{"SELECT COUNT(*) FROM sparkify_runs WHERE x = current_schema()", "CURRENT_SCHEMA is leader"},
		// Unsupported constructs.
		{"INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING", "ON CONFLICT"},
		{"INSERT INTO t (a) VALUES (1) RETURNING a", "RETURNING"},
		{"CREATE INDEX i ON t (a)", "CREATE INDEX"},
		{"SELECT DISTINCT ON (a) a, b FROM t", "DISTINCT ON ("},
		{"SELECT COUNT(*) FILTER (WHERE a > 1) FROM t", "FILTER ( WHERE"},
		{"SELECT * FROM t, LATERAL (SELECT 1) x", "LATERAL"},
		{"SELECT STRING_AGG(a, ',') FROM t", "STRING_AGG() is not"},
		{"SELECT array_agg(a) FROM t", "ARRAY_AGG() is not"},
		{"SELECT * FROM generate_series(1, 3)", "GENERATE_SERIES() is not"},
		{"SELECT pg_try_advisory_lock(1)", "advisory"},
		{"SELECT a IS DISTINCT FROM b FROM t", "IS DISTINCT FROM"},
		{"SELECT LISTAGG(a, ',') WITHIN GROUP (ORDER BY a) FROM t", ""},
	} {
		got := Check(c.sql)
		switch {
		case c.want == "" && len(got) != 0:
			t.Errorf("%q: want no finding, got %v", c.sql, got)
		case c.want != "" && !anyHas(got, c.want):
			t.Errorf("%q: want a finding with %q, got %v", c.sql, c.want, got)
		}
	}
}

func anyHas(fs []Finding, s string) bool {
	for _, f := range fs {
		if strings.Contains(f.Msg, s) {
			return true
		}
	}
	return false
}

func TestReservedList(t *testing.T) {
	r := Reserved()
	// The page lists 156 words; a few spot checks of the list itself.
	if len(r) != 156 || !r["PERCENT"] || !r["RAW"] || !r["WITHOUT"] || r["START"] {
		t.Errorf("reserved list: %d words", len(r))
	}
}

func TestLineNumbers(t *testing.T) {
	got := Check("SELECT a,\n  'x\ny' AS b,\n  c AS tag\nFROM t")
	if len(got) != 1 || got[0].Line != 4 {
		t.Errorf("got %v, want one finding on line 4", got)
	}
}
