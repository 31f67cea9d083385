package duckdb_test

import (
	"context"
	"path/filepath"
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
