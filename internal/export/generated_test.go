package export

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/generate"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// generated writes a synthetic data set whose logs cross a year boundary
// (so songplays and time span two years and two months).
func generated(t testing.TB) warehousetest.Data {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	o := generate.DefaultOptions(dir)
	o.Songs, o.Users, o.Days, o.EventsPerDay, o.MatchRate = 500, 50, 5, 400, 0.3
	o.Start = time.Date(2018, 12, 29, 0, 0, 0, 0, time.UTC)
	if _, err := generate.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return warehousetest.Data{Songs: filepath.Join(dir, "song_data"), Logs: filepath.Join(dir, "log_data")}
}

// TestGeneratedRoundTrip exports generated data in both formats with both
// writers; every export reads back equal to the warehouse, and the monthly
// folders follow the data across the new year.
func TestGeneratedRoundTrip(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, generated(t)), true)
	want := warehouseDump(t, wh, Tables)
	for _, format := range []Format{Parquet, CSV} {
		for _, stream := range []bool{false, true} {
			t.Run(string(format)+"/"+writerName(stream), func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "lake")
				export(t, wh, Options{Out: out, Format: format, stream: stream})
				assertSame(t, "read back", readBack(t, out), want)
				months := partitionFolders(t, filepath.Join(out, "songplays"))
				if !slices.Equal(months, []string{"year=2018/month=12", "year=2019/month=1"}) {
					t.Errorf("songplays folders = %v", months)
				}
			})
		}
	}
}

// TestPostgresEqualsDuckDB loads the same generated data into PostgreSQL
// and DuckDB and exports both: PostgreSQL through the streamed writer,
// DuckDB through its COPY. The exports have the same files, the same
// manifest tables and read back to the same rows, which equal PostgreSQL's
// own tables.
func TestPostgresEqualsDuckDB(t *testing.T) {
	pgDSN := testutil.Postgres(t)
	data := generated(t)
	pgLoad := openWH(t, pgDSN, false)
	warehousetest.Load(t, pgLoad, data)
	pg := openWH(t, pgDSN, true)
	duck := openWH(t, loadDuckDB(t, data), true)

	for _, format := range []Format{Parquet, CSV} {
		t.Run(string(format), func(t *testing.T) {
			pgOut := filepath.Join(t.TempDir(), "pg")
			duckOut := filepath.Join(t.TempDir(), "duck")
			pgRes := export(t, pg, Options{Out: pgOut, Format: format})
			duckRes := export(t, duck, Options{Out: duckOut, Format: format})

			assertSame(t, "PostgreSQL export read back vs PostgreSQL", readBack(t, pgOut), warehouseDump(t, pg, Tables))
			assertSame(t, "PostgreSQL export vs DuckDB export", readBack(t, pgOut), readBack(t, duckOut))
			pf, df := files(t, pgOut), files(t, duckOut)
			if !slices.Equal(pf, df) {
				t.Errorf("PostgreSQL export files %v\nDuckDB export files %v", head(pf), head(df))
			}
			if pgRes.Manifest.Engine != "postgres" {
				t.Errorf("engine %q", pgRes.Manifest.Engine)
			}
			for i, pt := range pgRes.Manifest.Tables {
				dt := duckRes.Manifest.Tables[i]
				if pt.Name != dt.Name || pt.Rows != dt.Rows || pt.Files != dt.Files ||
					!slices.Equal(pt.Columns, dt.Columns) || !slices.Equal(pt.PartitionBy, dt.PartitionBy) {
					t.Errorf("manifest %s differs:\n  postgres %+v\n  duckdb   %+v", pt.Name, pt, dt)
				}
			}
		})
	}
}

// TestManyPartitionsOnDuckDB exports a catalog with thousands of artists
// from DuckDB under its default memory limit: songs (a partition per
// artist) still export, one file per partition, and read back whole.
func TestManyPartitionsOnDuckDB(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	o := generate.DefaultOptions(dir)
	o.Songs, o.Artists, o.Days, o.EventsPerDay = 6000, 3000, 1, 100
	if _, err := generate.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	wh := openWH(t, loadDuckDB(t, warehousetest.Data{Songs: filepath.Join(dir, "song_data"), Logs: filepath.Join(dir, "log_data")}), true)
	want := warehouseDump(t, wh, []string{"songs"})
	out := filepath.Join(t.TempDir(), "lake")
	res := export(t, wh, Options{Out: out, Tables: []string{"songs"}})
	assertSame(t, "songs read back", readBack(t, out), want)
	folders := partitionFolders(t, filepath.Join(out, "songs"))
	if tm := res.Manifest.Table("songs"); tm.Files != len(folders) || len(folders) < 1000 {
		t.Errorf("%d files in %d partition folders; want one file per partition, and thousands", tm.Files, len(folders))
	}
}
