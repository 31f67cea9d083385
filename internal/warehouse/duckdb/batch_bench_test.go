package duckdb_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
)

// BenchmarkCopyBatches measures the bulk path alone: prepared batches of
// event-like rows into a table, in a transaction as a load does.
func BenchmarkCopyBatches(b *testing.B) {
	ctx := context.Background()
	wh, err := duckdb.Open(ctx, "duckdb:"+filepath.Join(b.TempDir(), "b.duckdb"), warehouse.Options{}, false)
	if err != nil {
		b.Fatal(err)
	}
	defer wh.Close()
	wh.DB().Exec("CREATE TABLE t (a VARCHAR, b VARCHAR, c BIGINT, d DOUBLE, e VARCHAR, f BIGINT, g TIMESTAMP)")
	cols := []string{"a", "b", "c", "d", "e", "f", "g"}
	types := []warehouse.ColumnType{warehouse.String, warehouse.String, warehouse.Int64, warehouse.Float64, warehouse.String, warehouse.Int64, warehouse.Timestamp}
	mk := func(n int) *warehouse.Batch {
		bt := &warehouse.Batch{Len: n, Columns: make([]warehouse.Column, len(types))}
		for c, t := range types {
			bt.Columns[c].Type = t
			for i := 0; i < n; i++ {
				switch t {
				case warehouse.String:
					bt.Columns[c].Strings = append(bt.Columns[c].Strings, "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 "+strconv.Itoa(i))
				case warehouse.Float64:
					bt.Columns[c].Floats = append(bt.Columns[c].Floats, float64(i))
				default:
					bt.Columns[c].Ints = append(bt.Columns[c].Ints, int64(i)*1000)
				}
			}
		}
		return bt
	}
	batch := mk(warehouse.BatchSize)
	const batches = 250 // 512,000 rows
	for range b.N {
		sess, _ := wh.Session(ctx)
		ch := make(chan *warehouse.Batch, 4)
		go func() {
			for range batches {
				ch <- batch
			}
			close(ch)
		}()
		start := time.Now()
		sess.Begin(ctx)
		n, err := sess.(warehouse.BatchCopier).CopyBatches(ctx, "t", cols, types, ch)
		if err != nil {
			b.Fatal(err)
		}
		if err := sess.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
		sess.Close()
	}
}

// BenchmarkTableCopy is DuckDB copying the same kind of rows table to
// table: the floor for the batch path.
func BenchmarkTableCopy(b *testing.B) {
	ctx := context.Background()
	wh, err := duckdb.Open(ctx, "duckdb:"+filepath.Join(b.TempDir(), "b.duckdb"), warehouse.Options{}, false)
	if err != nil {
		b.Fatal(err)
	}
	defer wh.Close()
	_, err = wh.DB().Exec(`CREATE TABLE t AS SELECT 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 ' || i AS a,
		'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 ' || i AS b, i * 1000 AS c, i::DOUBLE AS d,
		'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 ' || i AS e, i * 1000 AS f, make_timestamp(i * 1000) AS g
		FROM range(2048) r(i), range(250)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		start := time.Now()
		res, err := wh.DB().Exec("CREATE TABLE t" + strconv.Itoa(i) + " AS SELECT * FROM t")
		if err != nil {
			b.Fatal(err)
		}
		res.RowsAffected()
		b.ReportMetric(float64(2048*250)/time.Since(start).Seconds(), "rows/s")
	}
}
