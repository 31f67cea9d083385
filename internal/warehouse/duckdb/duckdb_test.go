package duckdb_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

func open(t testing.TB) warehouse.Warehouse {
	wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	return wh
}

func TestContract(t *testing.T) { warehousetest.Run(t, open) }

func TestDSNSettings(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "w.duckdb")
	wh, err := duckdb.Open(ctx, "duckdb:"+p+"?threads=1", warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	var threads, mem string
	wh.DB().QueryRow("SELECT current_setting('threads')::VARCHAR, current_setting('memory_limit')").Scan(&threads, &mem)
	if threads != "1" || !strings.HasSuffix(mem, "MiB") {
		t.Errorf("threads %s memory_limit %s: want the DSN's threads and the default limit (%s)", threads, mem, duckdb.DefaultMemoryLimit)
	}
	if path, err := duckdb.ParsePath("duckdb:" + p + "?threads=1"); err != nil || path != p {
		t.Errorf("ParsePath = %q, %v", path, err)
	}
	_, err = duckdb.Open(ctx, "duckdb:"+filepath.Join(t.TempDir(), "missing.duckdb"), warehouse.Options{ReadOnly: true}, false)
	if err == nil || !strings.Contains(err.Error(), "sparkify etl") {
		t.Errorf("read-only open of a missing file: %v", err)
	}
}
