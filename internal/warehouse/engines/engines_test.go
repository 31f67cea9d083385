package engines_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestDuckDBAndPostgresAgree loads the same input into both engines and
// compares every star table row by row.
func TestDuckDBAndPostgresAgree(t *testing.T) {
	ctx := context.Background()
	data := warehousetest.CopySample(t, 0)
	duck, err := engines.Open(ctx, "duckdb:"+filepath.Join(t.TempDir(), "a.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	pg, err := engines.Open(ctx, testutil.Postgres(t), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	warehousetest.Load(t, duck, data)
	warehousetest.Load(t, pg, data)
	a, b := warehousetest.DumpStar(t, duck.DB()), warehousetest.DumpStar(t, pg.DB())
	if d := warehousetest.DiffStar(a, b); len(d) > 0 {
		t.Fatalf("DuckDB and PostgreSQL differ:\n%s", strings.Join(d, "\n"))
	}
	if len(a["songplays"]) == 0 {
		t.Fatal("nothing loaded")
	}
}

func TestUnknownEngineListsTheValidOnes(t *testing.T) {
	_, err := engines.Open(context.Background(), "mysql://root:hunter2@db/x", warehouse.Options{}, false)
	if !errors.Is(err, warehouse.ErrUnknownEngine) || !strings.Contains(err.Error(), "duckdb:PATH") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v", err)
	}
}

func TestKeywordDSNOpensPostgresAndHidesItsPassword(t *testing.T) {
	if got := engines.Scheme("host=db1 password=S3cr3tPw dbname=x"); got != "postgres" {
		t.Errorf("Scheme = %q", got)
	}
	_, err := engines.Open(context.Background(), "host=127.0.0.1 port=1 user=me password=S3cr3tPw dbname=x connect_timeout=2 sslmode=disable", warehouse.Options{}, false)
	if err == nil || strings.Contains(err.Error(), "S3cr3tPw") || !strings.Contains(err.Error(), "password=********") {
		t.Errorf("err = %v", err)
	}
	_, err = engines.Open(context.Background(), "mysql:user=me password=S3cr3tPw", warehouse.Options{}, false)
	if !errors.Is(err, warehouse.ErrUnknownEngine) || strings.Contains(err.Error(), "S3cr3tPw") {
		t.Errorf("unknown engine: err = %v", err)
	}
}
