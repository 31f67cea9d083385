package redshift

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/export"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestOnPostgresReadOnlyTransactionIsOneSnapshot: on a read-only warehouse
// a transaction the caller opens - as export does, REPEATABLE READ READ
// ONLY - is not nested by the per-query read-only wrapper: all its queries
// run in it (one transaction start time, one snapshot that does not see a
// row committed meanwhile), and outside it every query sees the latest
// data again.
func TestOnPostgresReadOnlyTransactionIsOneSnapshot(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	rw := r.migrated()
	ro := r.open(true)
	if _, err := rw.DB().ExecContext(ctx, "INSERT INTO users (user_id, level) VALUES ('1', 'free')"); err != nil {
		t.Fatal(err)
	}
	tx, err := ro.DB().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n1, n2 int64
	var start1, start2 time.Time
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*), now() FROM users").Scan(&n1, &start1); err != nil {
		t.Fatal(err)
	}
	// A load commits a row while the export reads.
	if _, err := rw.DB().ExecContext(ctx, "INSERT INTO users (user_id, level) VALUES ('2', 'paid')"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "SELECT 1"); err != nil { // an Exec in the transaction, too
		t.Fatal(err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*), now() FROM users").Scan(&n2, &start2); err != nil {
		t.Fatal(err)
	}
	if n1 != 1 || n2 != 1 {
		t.Errorf("users seen in one transaction: %d then %d, want 1 and 1 (one snapshot)", n1, n2)
	}
	if !start1.Equal(start2) {
		t.Errorf("transaction start %v then %v: the queries ran in different transactions", start1, start2)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM users"); err == nil {
		t.Error("a write succeeded in the read-only transaction")
	}
	tx.Rollback()
	var n int64
	if err := ro.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != 2 {
		t.Errorf("after the transaction: %d users, %v; want 2", n, err)
	}
}

// TestOnPostgresExportReadOnly: sparkify export runs on a read-only
// Redshift warehouse - its snapshot transaction and every query in it
// through the read-only wrapper - and writes every table whole (rows
// counted by the manifest equal the tables' own counts).
func TestOnPostgresExportReadOnly(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	warehousetest.Load(t, r.open(false), warehousetest.CopySample(t, 1))
	ro := r.open(true)
	res, err := export.Run(ctx, ro, export.Options{Out: t.TempDir(), Format: export.CSV})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if res.Manifest.Engine != "redshift" || res.Manifest.LoadID == nil || len(res.Manifest.Tables) == 0 {
		t.Fatalf("manifest %+v", res.Manifest)
	}
	for _, tm := range res.Manifest.Tables {
		var n int64
		if err := ro.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tm.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if tm.Rows != n || n == 0 {
			t.Errorf("%s: exported %d rows, the table has %d", tm.Name, tm.Rows, n)
		}
	}
}
