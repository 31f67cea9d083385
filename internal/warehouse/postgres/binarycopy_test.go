package postgres_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// TestCopyBatchesRoundTrip sends every column type the binary encoder
// knows, NULLs and edge values included, and reads them back.
func TestCopyBatchesRoundTrip(t *testing.T) {
	ctx := context.Background()
	wh := open(t)
	defer wh.Close()
	sess, err := wh.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Exec(ctx, `CREATE TEMPORARY TABLE rt (
		id BIGINT, i2 SMALLINT, i4 INTEGER, f8 DOUBLE PRECISION, f4 REAL,
		s VARCHAR, tx TEXT, ts TIMESTAMP, tz TIMESTAMPTZ)`); err != nil {
		t.Fatal(err)
	}
	types := []warehouse.ColumnType{warehouse.Int64, warehouse.Int64, warehouse.Int64, warehouse.Float64,
		warehouse.Float64, warehouse.String, warehouse.String, warehouse.Timestamp, warehouse.Timestamp}
	cols := []string{"id", "i2", "i4", "f8", "f4", "s", "tx", "ts", "tz"}
	when := time.Date(2018, 11, 30, 0, 22, 7, 796000000, time.UTC)
	rows := [][]any{ // in id order, as read back
		{int64(math.MinInt64), int64(-32768), int64(math.MinInt32), -1.5e300, 0.25, "", "Beyoncé \\/ \"quoted\"", time.UnixMicro(0).UTC(), when},
		{int64(3), nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(math.MaxInt64), int64(32767), int64(math.MaxInt32), math.Inf(1), float64(-3), "Motörhead", strings.Repeat("x", 70000), when, time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)},
	}
	n, err := warehouse.CopyRows(ctx, sess, "rt", cols, types, rows)
	if err != nil || n != int64(len(rows)) {
		t.Fatalf("copied %d rows, %v; want %d", n, err, len(rows))
	}
	res, err := sess.Conn().QueryContext(ctx, "SELECT id, i2, i4, f8, f4, s, tx, ts, tz FROM rt ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	for i := 0; res.Next(); i++ {
		got := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for c := range got {
			ptrs[c] = &got[c]
		}
		if err := res.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for c, want := range rows[i] {
			if g, w := norm(got[c]), norm(want); g != w {
				t.Errorf("row %d column %s: got %v, want %v", i, cols[c], short(g), short(w))
			}
		}
	}

	// A value the column cannot hold fails the copy, not silently wraps.
	_, err = warehouse.CopyRows(ctx, sess, "rt", []string{"i4"}, []warehouse.ColumnType{warehouse.Int64}, [][]any{{int64(math.MaxInt32) + 1}})
	if err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("copy of 2^31 into an integer column: %v, want out of range", err)
	}
}

func norm(v any) any {
	switch x := v.(type) {
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return v
}

func short(v any) any {
	if s, ok := v.(string); ok && len(s) > 40 {
		return s[:40] + "..."
	}
	return v
}
