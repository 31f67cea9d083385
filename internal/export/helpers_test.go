package export

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// star is every column of every exported table, in the warehouse's order
// (internal/warehouse/ansi/sql/schema.sql), with the order that makes a
// dump canonical. It is written from the schema, not from the export SQL.
var star = map[string]struct{ cols, order string }{
	"songplays":   {"songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent, song_title, artist_name, song_length, load_id", "songplay_id"},
	"users":       {"user_id, first_name, last_name, gender, level, last_seen, cancelled_at", "user_id"},
	"songs":       {"song_id, title, artist_id, year, duration, artist_name", "song_id"},
	"artists":     {"artist_id, name, location, latitude, longitude", "artist_id"},
	"time":        {"start_time, hour, day, week, month, year, weekday", "start_time"},
	"user_levels": {"user_id, level, valid_from, valid_to", "user_id, valid_from, level"},
	"sessions": {"user_id, session_id, started_at, ended_at, duration_ms, events, plays, level, location, user_agent",
		"user_id, session_id"},
}

// wantTypes are the manifest types of every column, from schema.sql.
var wantTypes = map[string]string{
	"songplay_id": TypeBigint, "start_time": TypeTimestamp, "user_id": TypeVarchar, "level": TypeVarchar,
	"song_id": TypeVarchar, "artist_id": TypeVarchar, "session_id": TypeBigint, "location": TypeVarchar,
	"user_agent": TypeVarchar, "song_title": TypeVarchar, "artist_name": TypeVarchar, "song_length": TypeDouble,
	"load_id": TypeBigint, "first_name": TypeVarchar, "last_name": TypeVarchar, "gender": TypeVarchar,
	"last_seen": TypeTimestamp, "title": TypeVarchar, "year": TypeInteger, "duration": TypeDouble,
	"name": TypeVarchar, "latitude": TypeDouble, "longitude": TypeDouble, "hour": TypeInteger, "day": TypeInteger,
	"week": TypeInteger, "month": TypeInteger, "weekday": TypeInteger, "valid_from": TypeTimestamp, "valid_to": TypeTimestamp,
	"cancelled_at": TypeTimestamp, "started_at": TypeTimestamp, "ended_at": TypeTimestamp,
	"duration_ms": TypeBigint, "events": TypeInteger, "plays": TypeInteger,
}

// loadDuckDB loads data into a new DuckDB file and returns its DSN.
func loadDuckDB(t testing.TB, data warehousetest.Data) string {
	t.Helper()
	dsn := "duckdb:" + filepath.Join(t.TempDir(), "w.duckdb")
	wh := openWH(t, dsn, false)
	warehousetest.Load(t, wh, data)
	wh.Close()
	return dsn
}

// openWH opens a warehouse, read-only as the export command does.
func openWH(t testing.TB, dsn string, readOnly bool) warehouse.Warehouse {
	t.Helper()
	wh, err := engines.Open(context.Background(), dsn, warehouse.Options{ReadOnly: readOnly}, false)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { wh.Close() })
	return wh
}

// warehouseDump dumps every column of the tables from the warehouse.
func warehouseDump(t testing.TB, wh warehouse.Warehouse, tables []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, name := range tables {
		s := star[name]
		out[name] = warehousetest.Dump(t, wh.DB(), fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", s.cols, name, s.order))
	}
	return out
}

// reader is an in-memory DuckDB that reads exports back, as a user would.
func reader(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// readBack reads every table of the export whose manifest is at dir back
// with DuckDB's readers and Hive partitioning, typed from the manifest as
// docs/export.md tells readers to, and dumps it like warehouseDump.
func readBack(t testing.TB, dir string) map[string][]string {
	t.Helper()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := reader(t)
	out := map[string][]string{}
	for _, tm := range m.Tables {
		s := star[tm.Name]
		out[tm.Name] = warehousetest.Dump(t, db, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", s.cols, readerCall(dir, m, &tm), s.order))
	}
	return out
}

// readerCall is the read_parquet / read_csv call for one exported table.
func readerCall(dir string, m *Manifest, tm *TableManifest) string {
	var types, hive []string
	for _, c := range tm.Columns {
		entry := fmt.Sprintf("'%s': '%s'", c.Name, c.Type)
		if c.Partition {
			hive = append(hive, entry)
		} else {
			types = append(types, entry)
		}
	}
	glob := filepath.Join(dir, m.Root, tm.Path, "**", "*."+string(m.Format))
	args := fmt.Sprintf("'%s', hive_partitioning = true", glob)
	if len(hive) > 0 {
		args += ", hive_types = {" + strings.Join(hive, ", ") + "}"
	}
	call := fmt.Sprintf("read_parquet(%s)", args)
	if m.Format == CSV {
		call = fmt.Sprintf("read_csv(%s, header = true, delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false, columns = {%s})", args, strings.Join(types, ", "))
	}
	return unrename(call, tm.RenamedPartitions)
}

// unrename maps the partition folders that got safe names back to their
// full values, from the manifest, as docs/export.md tells readers to.
func unrename(call string, renamed []RenamedPartition) string {
	if len(renamed) == 0 {
		return call
	}
	cases := map[string][]string{}
	var cols []string
	for _, r := range renamed {
		if cases[r.Column] == nil {
			cols = append(cols, r.Column)
		}
		cases[r.Column] = append(cases[r.Column], fmt.Sprintf("WHEN %s THEN %s", quoteLiteral(r.Folder), quoteLiteral(r.Value)))
	}
	var repl []string
	for _, c := range cols {
		repl = append(repl, fmt.Sprintf("CASE %s %s ELSE %s END AS %s", c, strings.Join(cases[c], " "), c, c))
	}
	return fmt.Sprintf("(SELECT * REPLACE (%s) FROM %s)", strings.Join(repl, ", "), call)
}

// assertSame fails with the first differences between two dumps.
func assertSame(t testing.TB, what string, got, want map[string][]string) {
	t.Helper()
	var diffs []string
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			diffs = append(diffs, name+": missing")
			continue
		}
		if len(g) != len(w) {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows, want %d", name, len(g), len(w)))
		}
		shown := 0
		for i := 0; i < len(g) && i < len(w) && shown < 3; i++ {
			if g[i] != w[i] {
				diffs = append(diffs, fmt.Sprintf("%s row %d:\n  got  %s\n  want %s", name, i, g[i], w[i]))
				shown++
			}
		}
	}
	if len(got) != len(want) {
		diffs = append(diffs, fmt.Sprintf("%d tables, want %d", len(got), len(want)))
	}
	if len(diffs) > 0 {
		t.Fatalf("%s differs:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// files lists the files under dir, relative and slash-separated, sorted.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// partitionFolders lists the distinct folders of a table's data files.
func partitionFolders(t testing.TB, tableDir string) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range files(t, tableDir) {
		seen[pathDir(f)] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func pathDir(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i]
	}
	return "."
}

// siblings lists the entries beside dir (staging leftovers would show).
func siblings(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// export runs an export and fails the test on error.
func export(t testing.TB, wh warehouse.Warehouse, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), wh, opts)
	if err != nil {
		t.Fatalf("export to %s: %v", opts.Out, err)
	}
	return res
}
