package redshift

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// insertBatch bounds one multi-row INSERT: rows, and bind parameters
// (Redshift allows 32,767 a statement).
const (
	insertRows   = 500
	insertParams = 30000
)

// CopyFrom writes rows with multi-row INSERT statements: Redshift has no
// COPY FROM STDIN. The pipeline uses it only for bookkeeping (the files and
// rejects of a load); staging goes through StageFiles and COPY from S3.
func (s *Session) CopyFrom(ctx context.Context, table string, columns []string, src warehouse.CopySource) (int64, error) {
	return s.insert(ctx, table, columns, src)
}

func (s *Session) insert(ctx context.Context, table string, columns []string, src warehouse.CopySource) (int64, error) {
	per := max(1, min(insertRows, insertParams/max(len(columns), 1)))
	head := insertHead(table, columns)
	var total int64
	args := make([]any, 0, per*len(columns))
	rows := 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		n, err := s.Exec(ctx, head+valuesList(rows, len(columns)), args...)
		total += n
		args, rows = args[:0], 0
		return err
	}
	for src.Next() {
		vals, err := src.Values()
		if err != nil {
			return total, err
		}
		if len(vals) != len(columns) {
			return total, fmt.Errorf("insert into %s: a row of %d values for %d columns", table, len(vals), len(columns))
		}
		args = append(args, vals...)
		rows++
		if rows == per {
			if err := flush(); err != nil {
				return total, fmt.Errorf("insert into %s: %w", table, err)
			}
		}
	}
	if err := src.Err(); err != nil {
		return total, err
	}
	if err := flush(); err != nil {
		return total, fmt.Errorf("insert into %s: %w", table, err)
	}
	return total, nil
}

func insertHead(table string, columns []string) string {
	cols := make([]string, len(columns))
	for i, c := range columns {
		cols[i] = Ident(c)
	}
	return "INSERT INTO " + Ident(table) + " (" + strings.Join(cols, ", ") + ") VALUES "
}

// valuesList renders ($1, $2), ($3, $4), ... for rows of cols values.
func valuesList(rows, cols int) string {
	var b strings.Builder
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}
