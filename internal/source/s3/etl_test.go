package s3_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/postgres"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// upload copies a local folder into the fake bucket under prefix; with
// gzipLogs, .json files are stored gzip-compressed as .json.gz.
func (f *fakeS3) upload(dir, bucket, prefix string, gzipFiles bool) {
	f.t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		key := prefix + "/" + filepath.ToSlash(rel)
		if gzipFiles {
			data, key = gz(f.t, string(data)), key+".gz"
		}
		f.put(bucket, key, data)
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func openDuckDB(t testing.TB) warehouse.Warehouse {
	wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	return wh
}

func openPostgres(t testing.TB) warehouse.Warehouse {
	wh, err := postgres.Open(context.Background(), testutil.Postgres(t), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	return wh
}

// loadS3 runs a load from the fake bucket.
func (f *fakeS3) loadS3(t testing.TB, wh warehouse.Warehouse, songs, logs string) *pipeline.Result {
	t.Helper()
	res, err := pipeline.Run(context.Background(), wh, pipeline.Options{Songs: f.source(songs), Logs: f.source(logs)})
	if err != nil {
		t.Fatalf("load from S3: %v", err)
	}
	return res
}

// localStar is the star schema a load of the local folders gives.
func localStar(t testing.TB, data warehousetest.Data) map[string][]string {
	wh := openDuckDB(t)
	warehousetest.Load(t, wh, data)
	return warehousetest.DumpStar(t, wh.DB())
}

func sameStar(t testing.TB, what string, got, want map[string][]string) {
	t.Helper()
	if d := warehousetest.DiffStar(got, want); len(d) > 0 {
		t.Fatalf("%s differs from the local load:\n%s", what, strings.Join(d, "\n"))
	}
	if len(want["songplays"]) == 0 {
		t.Fatalf("%s: no songplays at all", what)
	}
}

func testETLFromS3(t *testing.T, open func(testing.TB) warehouse.Warehouse) {
	data := warehousetest.CopySample(t, 0)
	f := newFakeS3(t, "udacity")
	f.upload(data.Songs, "udacity", "song_data", false)
	f.upload(data.Logs, "udacity", "log_data", true) // gzip objects
	wh := open(t)
	res := f.loadS3(t, wh, "s3://udacity/song_data", "s3://udacity/log_data")
	if s := res.Source("log"); s.FilesNew == 0 || s.LinesRejected != 0 {
		t.Fatalf("log source: %+v", s)
	}
	want := localStar(t, data)
	sameStar(t, "the star loaded from S3", warehousetest.DumpStar(t, wh.DB()), want)

	// A rerun reads nothing: every object is known by key and ETag.
	again := f.loadS3(t, wh, "s3://udacity/song_data", "s3://udacity/log_data")
	if again.Status != pipeline.StatusNoop {
		t.Errorf("rerun status %s, want noop: %+v", again.Status, again.Sources)
	}
}

func TestETLFromS3IntoDuckDBEqualsLocal(t *testing.T) { testETLFromS3(t, openDuckDB) }

func TestETLFromS3IntoPostgresEqualsLocal(t *testing.T) { testETLFromS3(t, openPostgres) }

// TestChangedObjectIsReloaded overwrites one log object: its new ETag makes
// the next load replace it, and the star equals a fresh load of the new data.
func TestChangedObjectIsReloaded(t *testing.T) {
	data := warehousetest.CopySample(t, 3)
	f := newFakeS3(t, "udacity")
	f.upload(data.Songs, "udacity", "song_data", false)
	f.upload(data.Logs, "udacity", "log_data", false)
	wh := openDuckDB(t)
	f.loadS3(t, wh, "s3://udacity/song_data", "s3://udacity/log_data")

	logs := warehousetest.LogFiles(t, data.Logs)
	rel, _ := filepath.Rel(data.Logs, logs[1])
	old, _ := os.ReadFile(logs[1])
	lines := bytes.Split(bytes.TrimSpace(old), []byte("\n"))
	edited := bytes.ReplaceAll(bytes.Join(lines[:len(lines)/2], []byte("\n")), []byte(`"level":"free"`), []byte(`"level":"paid"`))
	if err := os.WriteFile(logs[1], edited, 0o644); err != nil {
		t.Fatal(err)
	}
	f.put("udacity", "log_data/"+filepath.ToSlash(rel), edited)

	res := f.loadS3(t, wh, "s3://udacity/song_data", "s3://udacity/log_data")
	if s := res.Source("log"); s.FilesChanged != 1 || s.FilesNew != 0 || s.FilesUnchanged != len(logs)-1 {
		t.Fatalf("log source after one object changed: %+v", s)
	}
	sameStar(t, "the star after a changed object", warehousetest.DumpStar(t, wh.DB()), localStar(t, data))
}
