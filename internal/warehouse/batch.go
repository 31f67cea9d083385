package warehouse

import (
	"context"
	"time"
)

// ColumnType is the type of a Batch column.
type ColumnType int

// Column types. Timestamps are microseconds since the Unix epoch, UTC.
const (
	Int64 ColumnType = iota
	Float64
	String
	Timestamp
)

// Column is one column of a Batch: the slice matching its Type holds the
// values; Null marks NULLs (nil when none is NULL).
type Column struct {
	Type    ColumnType
	Ints    []int64
	Floats  []float64
	Strings []string
	Null    []bool
}

// IsNull reports whether row i is NULL.
func (c *Column) IsNull(i int) bool { return c.Null != nil && c.Null[i] }

// Value returns row i as a database/sql value (nil for NULL).
func (c *Column) Value(i int) any {
	if c.IsNull(i) {
		return nil
	}
	switch c.Type {
	case Int64:
		return c.Ints[i]
	case Float64:
		return c.Floats[i]
	case String:
		return c.Strings[i]
	default:
		return time.UnixMicro(c.Ints[i]).UTC()
	}
}

// Batch is up to BatchSize rows held by column, the unit that travels from
// sparkify's parallel decoders to an engine's bulk loader.
type Batch struct {
	Len     int
	Columns []Column
}

// BatchSize is the most rows in a Batch: one DuckDB vector.
const BatchSize = 2048

// BatchCopier is an optional Session ability, found by type assertion: an
// engine that loads column batches faster than rows (DuckDB fills its own
// vectors, on several threads). Others get the batches as rows through
// CopyFrom and BatchRows.
type BatchCopier interface {
	// CopyBatches loads every batch from the channel into table until the
	// channel closes, inside the open transaction. types describe columns.
	CopyBatches(ctx context.Context, table string, columns []string, types []ColumnType, batches <-chan *Batch) (int64, error)
}

// BatchRows streams batches as rows, a CopySource for engines without
// BatchCopier. errFn reports the producer's error once the channel closes.
func BatchRows(batches <-chan *Batch, errFn func() error) CopySource {
	return &batchRows{ch: batches, errFn: errFn}
}

type batchRows struct {
	ch    <-chan *Batch
	errFn func() error
	cur   *Batch
	i     int
	vals  []any
}

func (b *batchRows) Next() bool {
	b.i++
	for b.cur == nil || b.i >= b.cur.Len {
		next, ok := <-b.ch
		if !ok {
			return false
		}
		b.cur, b.i = next, 0
	}
	return true
}

func (b *batchRows) Values() ([]any, error) {
	b.vals = b.vals[:0]
	for c := range b.cur.Columns {
		b.vals = append(b.vals, b.cur.Columns[c].Value(b.i))
	}
	return b.vals, nil
}

func (b *batchRows) Err() error {
	if b.errFn == nil {
		return nil
	}
	return b.errFn()
}
