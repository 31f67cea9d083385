package duckdb_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
)

// TestOpenWaitsForAFileBeingCreated: a file that is not yet a DuckDB
// database but was written a moment ago is taken for one another process
// is still creating, and opened once that is done; an old one is not a
// database and fails at once, saying so.
func TestOpenWaitsForAFileBeingCreated(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	old := filepath.Join(dir, "old.duckdb")
	if err := os.WriteFile(old, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	os.Chtimes(old, past, past)
	if _, err := duckdb.Open(ctx, "duckdb:"+old, warehouse.Options{}, false); err == nil || !strings.Contains(err.Error(), "not a valid DuckDB database file") {
		t.Errorf("an old file that is no database: %v", err)
	}

	young := filepath.Join(dir, "young.duckdb")
	if err := os.WriteFile(young, []byte("half a header"), 0o644); err != nil {
		t.Fatal(err)
	}
	go func() {
		// The other process gives the file up (as a killed creator would):
		// the open may then create it.
		time.Sleep(300 * time.Millisecond)
		os.Remove(young)
	}()
	wh, err := duckdb.Open(ctx, "duckdb:"+young, warehouse.Options{}, false)
	if err != nil {
		t.Fatalf("a file being created: %v", err)
	}
	wh.Close()
}
