package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// awkward holds values that test quoting, NULL against the empty string,
// and partition values that must be escaped to stay one folder.
const awkward = `SELECT * FROM (VALUES
    (1, 'plain', 'AR1'),
    (2, '', 'AR1'),
    (3, NULL, NULL),
    (4, 'a,b', 'x/y=z'),
    (5, 'say "hi"', 'x/y=z'),
    (6, 'two' || chr(10) || 'lines', '50% off'),
    (7, ' lead and trail ', 'é ü'),
    (8, 'NULL', ''),
    (9, '\N', '.')
) v(id, s, p)`

// TestWritersAgreeOnAwkwardValues writes the same rows with DuckDB's COPY
// and with the Go writers, in both formats, partitioned by a column whose
// values need escaping: the folders are the same, and both read back as
// the values written.
func TestWritersAgreeOnAwkwardValues(t *testing.T) {
	ctx := context.Background()
	db := reader(t)
	tbl := Table{Name: "awkward", Query: awkward + " ORDER BY p, id", PartitionBy: []string{"p"}}
	cols, err := describe(ctx, db, tbl)
	if err != nil {
		t.Fatal(err)
	}
	want := warehousetest.Dump(t, db, "SELECT id, s, p, s IS NULL, p IS NULL FROM ("+awkward+") q ORDER BY id")
	for _, format := range []Format{Parquet, CSV} {
		t.Run(string(format), func(t *testing.T) {
			var folders [][]string
			for _, write := range []writeFunc{copyNative, streamRows} {
				dir := filepath.Join(t.TempDir(), "awkward")
				os.MkdirAll(dir, 0o755)
				n, err := write(ctx, db, tbl, cols, dir, format)
				if err != nil || n != 9 {
					t.Fatalf("wrote %d rows: %v", n, err)
				}
				m := &Manifest{Format: format, Tables: []TableManifest{{Name: "awkward", Path: ".", Columns: []Column{
					{Name: "id", Type: TypeInteger}, {Name: "s", Type: TypeVarchar}, {Name: "p", Type: TypeVarchar, Partition: true}}}}}
				got := warehousetest.Dump(t, db, "SELECT id, s, p, s IS NULL, p IS NULL FROM "+readerCall(dir, m, &m.Tables[0])+" ORDER BY id")
				if !slices.Equal(got, want) {
					t.Errorf("read back:\n%q\nwant\n%q", got, want)
				}
				folders = append(folders, partitionFolders(t, dir))
			}
			if !slices.Equal(folders[0], folders[1]) {
				t.Errorf("DuckDB wrote folders %q, the Go writer %q", folders[0], folders[1])
			}
			if !slices.Contains(folders[1], "p=x%2Fy%3Dz") || !slices.Contains(folders[1], "p=__HIVE_DEFAULT_PARTITION__") {
				t.Errorf("folders %q lack the escaped and the NULL partition", folders[1])
			}
		})
	}
}

// TestSampleCSVRoundTrip exports the sample as CSV with both writers; the
// files, read with the manifest's types, equal the warehouse.
func TestSampleCSVRoundTrip(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 0)), true)
	want := warehouseDump(t, wh, Tables)
	for _, stream := range []bool{false, true} {
		t.Run(writerName(stream), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "lake")
			res := export(t, wh, Options{Out: out, Format: CSV, stream: stream})
			assertSame(t, "CSV read back", readBack(t, out), want)
			if fs := files(t, filepath.Join(out, "songplays")); len(fs) == 0 || filepath.Ext(fs[0]) != ".csv" {
				t.Errorf("songplays files %v, want .csv", fs)
			}
			if res.Manifest.Format != CSV {
				t.Errorf("manifest format %q", res.Manifest.Format)
			}
		})
	}
}

func TestPlanAndFormat(t *testing.T) {
	p, err := Plan([]string{"time", "songs"})
	if err != nil || len(p) != 2 || p[0].Name != "songs" || p[1].Name != "time" ||
		fmt.Sprint(p[0].PartitionBy) != "[year artist_id]" || fmt.Sprint(p[1].PartitionBy) != "[year month]" {
		t.Errorf("Plan = %+v, %v", p, err)
	}
	all, _ := Plan(nil)
	if len(all) != len(Tables) {
		t.Errorf("Plan(nil) has %d tables", len(all))
	}
	for _, bad := range [][]string{{"staging_events"}, {"users", "users"}, {"sparkify_runs"}} {
		if _, err := Plan(bad); err == nil {
			t.Errorf("Plan(%v) accepted", bad)
		}
	}
	if f, err := ParseFormat("CSV"); f != CSV || err != nil {
		t.Errorf("ParseFormat(CSV) = %q, %v", f, err)
	}
	if _, err := ParseFormat("orc"); err == nil {
		t.Error("ParseFormat(orc) accepted")
	}
}
