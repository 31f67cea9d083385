package postgres_test

import (
	"context"
	"errors"
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

func TestNamedLockIsExclusive(t *testing.T) {
	ctx := context.Background()
	wh := open(t)
	defer wh.Close()
	a, _ := wh.Session(ctx)
	b, _ := wh.Session(ctx)
	defer b.Close()
	if err := a.(warehouse.NamedLocker).LockNamed(ctx, "watch"); err != nil {
		t.Fatal(err)
	}
	if err := b.(warehouse.NamedLocker).LockNamed(ctx, "watch"); !errors.Is(err, warehouse.ErrLocked) {
		t.Fatalf("second watch lock: %v, want ErrLocked", err)
	}
	if err := b.Lock(ctx, false); err != nil {
		t.Fatalf("the watch lock must not block loads: %v", err)
	}
	a.Close()
	if err := b.(warehouse.NamedLocker).LockNamed(ctx, "watch"); err != nil {
		t.Fatalf("after release: %v", err)
	}
}
