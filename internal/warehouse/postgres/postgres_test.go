package postgres_test

import (
	"context"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/postgres"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

func open(t testing.TB) warehouse.Warehouse {
	wh, err := postgres.Open(context.Background(), testutil.Postgres(t), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return wh
}

func TestContract(t *testing.T) { warehousetest.Run(t, open) }
