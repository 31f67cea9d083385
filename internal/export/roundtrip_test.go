package export

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestSampleRoundTrip exports the real sample from DuckDB with both
// writers (DuckDB's COPY and the streamed Go writer) and reads the files
// back with DuckDB's read_parquet and Hive partitioning: every table
// equals the warehouse row by row, the folders are the partitions the data
// has, and the manifest counts what the raw files hold.
func TestSampleRoundTrip(t *testing.T) {
	data := warehousetest.CopySample(t, 0)
	oracle := warehousetest.NewOracle(t, data.Songs, data.Logs)
	wh := openWH(t, loadDuckDB(t, data), true)
	want := warehouseDump(t, wh, Tables)

	for _, stream := range []bool{false, true} {
		t.Run(writerName(stream), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "lake")
			res := export(t, wh, Options{Out: out, stream: stream})
			assertSame(t, "read back", readBack(t, out), want)
			checkPartitions(t, wh, out)
			checkFileSchemas(t, out, res.Manifest)

			m := res.Manifest
			wantRows := map[string]int{"songplays": len(oracle.Plays), "users": len(oracle.Users),
				"songs": len(oracle.Songs), "artists": len(oracle.Artists), "time": len(oracle.Times),
				"user_levels": len(want["user_levels"]), "sessions": len(oracle.Activity.Sessions)}
			for _, tm := range m.Tables {
				if tm.Rows != int64(wantRows[tm.Name]) || tm.Files == 0 || tm.Bytes == 0 {
					t.Errorf("manifest %s: %d rows in %d files (%d bytes), want %d rows", tm.Name, tm.Rows, tm.Files, tm.Bytes, wantRows[tm.Name])
				}
			}
			if m.LoadID == nil || *m.LoadID != 1 || m.Format != Parquet || m.Engine != "duckdb" || m.Root != "" ||
				m.NullPartition != "__HIVE_DEFAULT_PARTITION__" || time.Since(m.WrittenAt) > time.Hour {
				t.Errorf("manifest = %+v", m)
			}
			if got := siblings(t, out); !slices.Equal(got, []string{"lake"}) {
				t.Errorf("beside the export: %v, want only the export (no staging leftovers)", got)
			}
		})
	}
}

// checkPartitions compares each table's folders with the partitions its
// rows fall in, computed here from the warehouse's values.
func checkPartitions(t *testing.T, wh warehouse.Warehouse, out string) {
	t.Helper()
	ctx := context.Background()
	monthly := func(table, column string) []string {
		res, err := warehouse.Query(ctx, wh.DB(), "SELECT "+column+" FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]bool{}
		for _, r := range res.Rows {
			ts := r[0].(time.Time).UTC()
			set[fmt.Sprintf("year=%d/month=%d", ts.Year(), int(ts.Month()))] = true
		}
		return sortedKeys(set)
	}
	res, err := warehouse.Query(ctx, wh.DB(), "SELECT year, artist_id FROM songs")
	if err != nil {
		t.Fatal(err)
	}
	songs, nulls := map[string]bool{}, 0
	plain := regexp.MustCompile(`^[A-Za-z0-9]+$`)
	for _, r := range res.Rows {
		year := "__HIVE_DEFAULT_PARTITION__"
		if r[0] != nil {
			year = warehousetest.Canon(r[0])
		} else {
			nulls++
		}
		artist := r[1].(string)
		if !plain.MatchString(artist) {
			t.Fatalf("artist_id %q needs escaping; this check expects plain ids", artist)
		}
		songs["year="+year+"/artist_id="+artist] = true
	}
	if nulls == 0 {
		t.Fatal("no song without a year: the NULL partition is not exercised")
	}
	want := map[string][]string{
		"songplays": monthly("songplays", "start_time"), "time": monthly("time", "start_time"), "songs": sortedKeys(songs),
		"sessions": monthly("sessions", "started_at"),
		"users":    {"."}, "artists": {"."}, "user_levels": {"."},
	}
	for table, w := range want {
		if got := partitionFolders(t, filepath.Join(out, table)); !slices.Equal(got, w) {
			t.Errorf("%s folders = %v\nwant %v", table, head(got), head(w))
		}
	}
}

// checkFileSchemas reads each data file's own schema: the data columns of
// the manifest, in its order and types, and no partition column.
func checkFileSchemas(t *testing.T, out string, m *Manifest) {
	t.Helper()
	db := reader(t)
	for _, tm := range m.Tables {
		var want []string
		for _, c := range tm.Columns {
			if !c.Partition {
				want = append(want, c.Name+" "+c.Type)
			}
			if wantTypes[c.Name] != c.Type {
				t.Errorf("%s.%s is %s in the manifest, want %s", tm.Name, c.Name, c.Type, wantTypes[c.Name])
			}
		}
		first := filepath.Join(out, tm.Path, files(t, filepath.Join(out, tm.Path))[0])
		rows := warehousetest.Dump(t, db, fmt.Sprintf("SELECT column_name || ' ' || column_type FROM (DESCRIBE SELECT * FROM read_parquet('%s', hive_partitioning = false))", first))
		if !slices.Equal(rows, want) {
			t.Errorf("%s file columns = %v, want %v", tm.Name, rows, want)
		}
		names := strings.Fields(strings.ReplaceAll(star[tm.Name].cols, ",", ""))
		if tm.Name == "songplays" || tm.Name == "sessions" {
			names = append(names, "year", "month") // derived from start_time (started_at) for the folders
		}
		var got []string
		for _, c := range tm.Columns {
			got = append(got, c.Name)
		}
		slices.Sort(names)
		slices.Sort(got)
		if !slices.Equal(got, names) {
			t.Errorf("%s manifest columns = %v, want the table's %v", tm.Name, got, names)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func head(s []string) []string {
	if len(s) > 6 {
		return append(s[:6:6], fmt.Sprintf("... (%d in all)", len(s)))
	}
	return s
}

// writerName names a subtest after the writer it uses.
func writerName(stream bool) string {
	if stream {
		return "streamed"
	}
	return "native"
}
