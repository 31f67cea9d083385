package export

import (
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// rowGroupRows bounds a row group, as DuckDB's writer does (122,880 rows),
// so a large partition is never held in memory whole.
const rowGroupRows = 122880

// fileWriter writes the rows of one data file. Values are the data
// columns' only (no partition columns), as database/sql scans them.
type fileWriter interface {
	Write(values []any) error
	Close() error
}

// parquetFile writes Parquet as DuckDB's COPY does: every column
// optional, Snappy compression, timestamps as microseconds not adjusted to
// UTC.
type parquetFile struct {
	w    *parquet.Writer
	cols []Column
	row  parquet.Row
}

func newParquetFile(out io.Writer, cols []Column) (*parquetFile, error) {
	group := make(orderedGroup, len(cols))
	for i, c := range cols {
		var leaf parquet.Node
		switch c.Type {
		case TypeInteger:
			leaf = parquet.Int(32)
		case TypeBigint:
			leaf = parquet.Int(64)
		case TypeDouble:
			leaf = parquet.Leaf(parquet.DoubleType)
		case TypeVarchar:
			leaf = parquet.String()
		case TypeTimestamp:
			leaf = parquet.TimestampAdjusted(parquet.Microsecond, false)
		default:
			return nil, fmt.Errorf("%w: %s is %s", ErrUnsupportedType, c.Name, c.Type)
		}
		group[i] = &orderedField{Node: parquet.Optional(leaf), name: c.Name}
	}
	schema := parquet.NewSchema("duckdb_schema", group)
	cfg, err := parquet.NewWriterConfig(schema, parquet.Compression(codec), parquet.MaxRowsPerRowGroup(rowGroupRows),
		parquet.CreatedBy("sparkify export", "", ""))
	if err != nil {
		return nil, fmt.Errorf("configure the Parquet writer: %w", err)
	}
	return &parquetFile{w: parquet.NewWriter(out, cfg), cols: cols, row: make(parquet.Row, len(cols))}, nil
}

// codec is Snappy, DuckDB's default.
var codec compress.Codec = &parquet.Snappy

// Write appends one row.
func (p *parquetFile) Write(values []any) error {
	for i, v := range values {
		pv, err := parquetValue(p.cols[i], v)
		if err != nil {
			return err
		}
		def := 1
		if v == nil {
			def = 0
		}
		p.row[i] = pv.Level(0, def, i)
	}
	_, err := p.w.WriteRows([]parquet.Row{p.row})
	return err
}

// Close writes the footer (the file itself is closed by the caller).
func (p *parquetFile) Close() error { return p.w.Close() }

// parquetValue converts a scanned value to the column's Parquet type.
func parquetValue(c Column, v any) (parquet.Value, error) {
	if v == nil {
		return parquet.NullValue(), nil
	}
	switch c.Type {
	case TypeInteger:
		if n, ok := asInt64(v); ok {
			return parquet.Int32Value(int32(n)), nil
		}
	case TypeBigint:
		if n, ok := asInt64(v); ok {
			return parquet.Int64Value(n), nil
		}
	case TypeDouble:
		switch x := v.(type) {
		case float64:
			return parquet.DoubleValue(x), nil
		case float32:
			return parquet.DoubleValue(float64(x)), nil
		}
	case TypeVarchar:
		switch x := v.(type) {
		case string:
			return parquet.ByteArrayValue([]byte(x)), nil
		case []byte:
			return parquet.ByteArrayValue(x), nil
		}
	case TypeTimestamp:
		if t, ok := v.(time.Time); ok {
			return parquet.Int64Value(wallClockUTC(t).UnixMicro()), nil
		}
	}
	return parquet.Value{}, fmt.Errorf("column %s (%s): unexpected value %T from the database", c.Name, c.Type, v)
}

// wallClockUTC reads a TIMESTAMP (no time zone) as the UTC wall-clock time
// it holds, whatever location the driver attached.
func wallClockUTC(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	}
	return 0, false
}

// orderedGroup is a Parquet group whose fields keep the order given
// (parquet.Group sorts them by name), so files list the columns in the
// warehouse's order.
type orderedGroup []*orderedField

type orderedField struct {
	parquet.Node
	name string
}

func (f *orderedField) Name() string { return f.name }

// Value is unused: rows are built as parquet.Row, never from Go structs.
func (f *orderedField) Value(reflect.Value) reflect.Value { return reflect.Value{} }

func (g orderedGroup) ID() int              { return 0 }
func (g orderedGroup) String() string       { return fmt.Sprintf("group(%d fields)", len(g)) }
func (g orderedGroup) Type() parquet.Type   { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool       { return false }
func (g orderedGroup) Repeated() bool       { return false }
func (g orderedGroup) Required() bool       { return true }
func (g orderedGroup) Leaf() bool           { return false }
func (g orderedGroup) GoType() reflect.Type { return reflect.TypeFor[map[string]any]() }

func (g orderedGroup) Fields() []parquet.Field {
	out := make([]parquet.Field, len(g))
	for i, f := range g {
		out[i] = f
	}
	return out
}

func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
