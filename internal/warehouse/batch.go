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
	// Release, if set, hands the batch back to its producer for reuse; a
	// consumer calls it once done with the batch's values.
	Release func()
}

// Done releases the batch if its producer asked for it back.
func (b *Batch) Done() {
	if b.Release != nil {
		b.Release()
	}
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
		if b.cur != nil {
			b.cur.Done()
			b.cur = nil
		}
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

// CopyRows loads rows held in memory through the session's fastest path:
// column batches when it is a BatchCopier, CopyFrom otherwise. Values must
// match types (int64, float64, string, time.Time) or be nil.
func CopyRows(ctx context.Context, sess Session, table string, columns []string, types []ColumnType, rows [][]any) (int64, error) {
	bc, ok := sess.(BatchCopier)
	if !ok {
		return sess.CopyFrom(ctx, table, columns, &SliceSource{Rows: rows})
	}
	ch := make(chan *Batch, 1)
	go func() {
		defer close(ch)
		for start := 0; start < len(rows); start += BatchSize {
			ch <- columnsOf(rows[start:min(start+BatchSize, len(rows))], types)
		}
	}()
	n, err := bc.CopyBatches(ctx, table, columns, types, ch)
	for range ch {
	}
	return n, err
}

// columnsOf turns rows into one column batch.
func columnsOf(rows [][]any, types []ColumnType) *Batch {
	b := &Batch{Len: len(rows), Columns: make([]Column, len(types))}
	for c, t := range types {
		col := &b.Columns[c]
		col.Type = t
		for i, row := range rows {
			v := row[c]
			if v == nil {
				if col.Null == nil {
					col.Null = make([]bool, len(rows))
				}
				col.Null[i] = true
			}
			switch t {
			case Int64:
				x, _ := v.(int64)
				col.Ints = append(col.Ints, x)
			case Timestamp:
				x, _ := v.(time.Time)
				col.Ints = append(col.Ints, x.UnixMicro())
			case Float64:
				x, _ := v.(float64)
				col.Floats = append(col.Floats, x)
			default:
				x, _ := v.(string)
				col.Strings = append(col.Strings, x)
			}
		}
	}
	return b
}
