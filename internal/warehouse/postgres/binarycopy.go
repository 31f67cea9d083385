package postgres

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sparkify/sparkify/internal/warehouse"
)

var _ warehouse.BatchCopier = (*Session)(nil)

// CopyBatches streams column batches over COPY in PostgreSQL's binary
// format, encoded straight from the columns: pgx's CopyFrom wants each row
// as a slice of interfaces, and boxing every value made the client, not
// the server, the bottleneck of staging. The encoding follows the table's
// column types as the catalog gives them; a type it does not know sends
// the batches through CopyFrom instead.
func (s *Session) CopyBatches(ctx context.Context, table string, columns []string, types []warehouse.ColumnType, batches <-chan *warehouse.Batch) (int64, error) {
	oids, err := s.columnTypes(ctx, table, columns)
	if err != nil {
		return 0, err
	}
	enc, ok := newRowEncoder(types, oids)
	if !ok {
		return s.CopyFrom(ctx, table, columns, warehouse.BatchRows(batches, nil))
	}
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	copySQL := fmt.Sprintf("COPY %s (%s) FROM STDIN BINARY", pgx.Identifier{table}.Sanitize(), strings.Join(quoted, ", "))

	pr, pw := io.Pipe()
	encoded := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		err := enc.write(pw, batches, stop)
		pw.CloseWithError(err)
		encoded <- err
	}()
	var n int64
	err = s.conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("postgres: connection is not a pgx connection")
		}
		tag, err := pc.Conn().PgConn().CopyFrom(ctx, pr, copySQL)
		n = tag.RowsAffected()
		return err
	})
	close(stop)
	pr.CloseWithError(errCopyEnded) // stops the encoder if the server stopped first
	if encErr := <-encoded; encErr != nil && !errors.Is(encErr, errCopyEnded) && err == nil {
		err = encErr
	}
	if err != nil {
		return n, fmt.Errorf("copy into %s: %w", table, err)
	}
	return n, nil
}

var errCopyEnded = errors.New("copy ended")

// columnTypes reads the type of each column from the catalog.
func (s *Session) columnTypes(ctx context.Context, table string, columns []string) ([]uint32, error) {
	rows, err := s.conn.QueryContext(ctx, `SELECT attname, atttypid FROM pg_attribute
WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, pgx.Identifier{table}.Sanitize())
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", table, err)
	}
	defer rows.Close()
	byName := map[string]uint32{}
	for rows.Next() {
		var name string
		var oid uint32
		if err := rows.Scan(&name, &oid); err != nil {
			return nil, err
		}
		byName[name] = oid
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	oids := make([]uint32, len(columns))
	for i, c := range columns {
		oid, ok := byName[c]
		if !ok {
			return nil, fmt.Errorf("table %s has no column %s", table, c)
		}
		oids[i] = oid
	}
	return oids, nil
}

// Type OIDs of the binary encodings rowEncoder writes.
const (
	oidInt2        = 21
	oidInt4        = 23
	oidInt8        = 20
	oidFloat4      = 700
	oidFloat8      = 701
	oidText        = 25
	oidVarchar     = 1043
	oidBpchar      = 1042
	oidTimestamp   = 1114
	oidTimestamptz = 1184
)

// pgEpochMicros is 2000-01-01 00:00:00 UTC, PostgreSQL's timestamp zero,
// in microseconds since the Unix epoch.
const pgEpochMicros = 946684800 * 1000000

// rowEncoder writes batches in COPY's binary format: a header, then per
// row a field count and each field as a length (-1 for NULL) and its bytes
// in network order, then a trailer.
type rowEncoder struct {
	types []warehouse.ColumnType
	oids  []uint32
}

// newRowEncoder reports false when a column's type has no encoding here.
func newRowEncoder(types []warehouse.ColumnType, oids []uint32) (*rowEncoder, bool) {
	for i, t := range types {
		ok := false
		switch t {
		case warehouse.Int64:
			ok = oids[i] == oidInt2 || oids[i] == oidInt4 || oids[i] == oidInt8
		case warehouse.Float64:
			ok = oids[i] == oidFloat4 || oids[i] == oidFloat8
		case warehouse.String:
			ok = oids[i] == oidText || oids[i] == oidVarchar || oids[i] == oidBpchar
		case warehouse.Timestamp:
			ok = oids[i] == oidTimestamp || oids[i] == oidTimestamptz
		}
		if !ok {
			return nil, false
		}
	}
	return &rowEncoder{types: types, oids: oids}, true
}

var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// write encodes every batch until the channel closes, releasing each, or
// until stop closes.
func (e *rowEncoder) write(w io.Writer, batches <-chan *warehouse.Batch, stop <-chan struct{}) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.Write(copyHeader)
	var buf []byte
	for {
		var b *warehouse.Batch
		var more bool
		select {
		case b, more = <-batches:
		case <-stop:
			return errCopyEnded
		}
		if !more {
			break
		}
		var err error
		buf, err = e.appendBatch(buf[:0], b)
		b.Done()
		if err != nil {
			return err
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	bw.Write([]byte{0xff, 0xff})
	return bw.Flush()
}

// appendBatch appends the batch's rows to buf.
func (e *rowEncoder) appendBatch(buf []byte, b *warehouse.Batch) ([]byte, error) {
	fields := uint16(len(b.Columns))
	for i := 0; i < b.Len; i++ {
		buf = binary.BigEndian.AppendUint16(buf, fields)
		for c := range b.Columns {
			col := &b.Columns[c]
			if col.IsNull(i) {
				buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32) // -1
				continue
			}
			var err error
			if buf, err = e.appendValue(buf, c, col, i); err != nil {
				return buf, err
			}
		}
	}
	return buf, nil
}

func (e *rowEncoder) appendValue(buf []byte, c int, col *warehouse.Column, i int) ([]byte, error) {
	switch e.types[c] {
	case warehouse.Int64:
		v := col.Ints[i]
		switch e.oids[c] {
		case oidInt2:
			if v < math.MinInt16 || v > math.MaxInt16 {
				return buf, fmt.Errorf("value %d out of range for a smallint column", v)
			}
			buf = binary.BigEndian.AppendUint32(buf, 2)
			return binary.BigEndian.AppendUint16(buf, uint16(v)), nil
		case oidInt4:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return buf, fmt.Errorf("value %d out of range for an integer column", v)
			}
			buf = binary.BigEndian.AppendUint32(buf, 4)
			return binary.BigEndian.AppendUint32(buf, uint32(v)), nil
		}
		buf = binary.BigEndian.AppendUint32(buf, 8)
		return binary.BigEndian.AppendUint64(buf, uint64(v)), nil
	case warehouse.Float64:
		if e.oids[c] == oidFloat4 {
			buf = binary.BigEndian.AppendUint32(buf, 4)
			return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(col.Floats[i]))), nil
		}
		buf = binary.BigEndian.AppendUint32(buf, 8)
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(col.Floats[i])), nil
	case warehouse.String:
		s := col.Strings[i]
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
		return append(buf, s...), nil
	default: // Timestamp: both timestamp types are microseconds since 2000
		buf = binary.BigEndian.AppendUint32(buf, 8)
		return binary.BigEndian.AppendUint64(buf, uint64(col.Ints[i]-pgEpochMicros)), nil
	}
}
