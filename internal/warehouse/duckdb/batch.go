package duckdb

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	duck "github.com/duckdb/duckdb-go/v2"

	"github.com/sparkify/sparkify/internal/warehouse"
)

var _ warehouse.BatchCopier = (*session)(nil)

// tableFuncSeq names each load's table function uniquely.
var tableFuncSeq atomic.Int64

// CopyBatches loads column batches through a parallel table function:
// DuckDB's own threads pull batches from the channel and fill their vectors
// directly, and INSERT ... SELECT writes them, all inside the open
// transaction. This avoids the appender's row-at-a-time path.
func (s *session) CopyBatches(ctx context.Context, table string, columns []string, types []warehouse.ColumnType, batches <-chan *warehouse.Batch) (int64, error) {
	src := &batchSource{ctx: ctx, ch: batches, types: types, columns: columns}
	name := fmt.Sprintf("sparkify_batches_%d", tableFuncSeq.Add(1))
	fn := duck.ParallelChunkTableFunction{
		BindArguments: func(map[string]any, ...any) (duck.ParallelChunkTableSource, error) { return src, nil },
	}
	if err := duck.RegisterTableUDF(s.conn, name, fn); err != nil {
		return 0, fmt.Errorf("register batch reader: %w", err)
	}
	exprs := make([]string, len(columns))
	for i, c := range columns {
		exprs[i] = c
		if types[i] == warehouse.Timestamp {
			exprs[i] = "make_timestamp(" + c + ")"
		}
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s()", stagedTable(table), strings.Join(columns, ", "), strings.Join(exprs, ", "), name)
	res, err := s.conn.ExecContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("load %s: %w", table, err)
	}
	if err := src.failure(); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// batchSource is the table function: one batch per chunk.
type batchSource struct {
	ctx     context.Context
	ch      <-chan *warehouse.Batch
	types   []warehouse.ColumnType
	columns []string

	mu  sync.Mutex
	err error
}

var _ duck.ParallelChunkTableSource = (*batchSource)(nil)

func (b *batchSource) ColumnInfos() []duck.ColumnInfo {
	out := make([]duck.ColumnInfo, len(b.types))
	for i, t := range b.types {
		dt := duck.TYPE_BIGINT
		switch t {
		case warehouse.Float64:
			dt = duck.TYPE_DOUBLE
		case warehouse.String:
			dt = duck.TYPE_VARCHAR
		}
		info, _ := duck.NewTypeInfo(dt)
		out[i] = duck.ColumnInfo{Name: b.columns[i], T: info}
	}
	return out
}

func (b *batchSource) Cardinality() *duck.CardinalityInfo { return nil }

func (b *batchSource) Init() duck.ParallelTableSourceInfo {
	return duck.ParallelTableSourceInfo{MaxThreads: runtime.GOMAXPROCS(0)}
}

func (b *batchSource) NewLocalState() any { return &struct{}{} }

func (b *batchSource) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
}

func (b *batchSource) failure() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// FillChunk copies the next batch into the chunk; an empty chunk ends the
// scan (the channel closed, or the load was cancelled).
func (b *batchSource) FillChunk(_ any, chunk duck.DataChunk) error {
	var batch *warehouse.Batch
	var ok bool
	select {
	case batch, ok = <-b.ch:
	case <-b.ctx.Done():
		b.fail(b.ctx.Err())
	}
	if !ok || batch == nil {
		return chunk.SetSize(0)
	}
	defer batch.Done()
	for c := range batch.Columns {
		if err := fillColumn(chunk, c, &batch.Columns[c], batch.Len); err != nil {
			b.fail(err)
			return err
		}
	}
	return chunk.SetSize(batch.Len)
}

func fillColumn(chunk duck.DataChunk, c int, col *warehouse.Column, n int) error {
	var err error
	for i := 0; i < n && err == nil; i++ {
		if col.IsNull(i) {
			err = duck.SetChunkValue[any](chunk, c, i, nil)
			continue
		}
		switch col.Type {
		case warehouse.Float64:
			err = duck.SetChunkValue(chunk, c, i, col.Floats[i])
		case warehouse.String:
			err = duck.SetChunkValue(chunk, c, i, col.Strings[i])
		default:
			err = duck.SetChunkValue(chunk, c, i, col.Ints[i])
		}
	}
	return err
}
