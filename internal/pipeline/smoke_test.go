package pipeline_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source/local"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
)

func TestSmokeDuckDB(t *testing.T) {
	dir := testutil.SampleDir(t)
	ctx := context.Background()
	wh, err := duckdb.Open(ctx, "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	songs, _ := local.New(filepath.Join(dir, "song_data"))
	logs, _ := local.New(filepath.Join(dir, "log_data"))
	res, err := pipeline.Run(ctx, wh, pipeline.Options{Songs: songs, Logs: logs})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	res, err = pipeline.Run(ctx, wh, pipeline.Options{Songs: songs, Logs: logs})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
}
