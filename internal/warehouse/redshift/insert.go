package redshift

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sparkify/sparkify/internal/record"
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
//
// A failed load's rejects are recorded with CopyFrom into sparkify_rejects,
// in the failed run's own transaction. The rejects of a StageFiles call
// that failed (a COPY stopped by MAXERROR among them) never reached the
// pipeline, which drops a failed call's report: they are added here, to
// the load they belong to, and counted in its run row.
func (s *Session) CopyFrom(ctx context.Context, table string, columns []string, src warehouse.CopySource) (int64, error) {
	if table != "sparkify_rejects" || len(s.failedRejects) == 0 {
		return s.insert(ctx, table, columns, src)
	}
	pending := s.failedRejects
	n, err := s.insert(ctx, table, columns, &withFailed{CopySource: src, columns: columns, rows: pending})
	if err != nil {
		return n, err
	}
	s.failedRejects = nil
	counts := map[int64]int64{}
	for _, r := range pending {
		counts[r.loadID]++
	}
	for id, c := range counts {
		if err := s.block(ctx, "run_count_failed_rejects", id, c); err != nil {
			return n, err
		}
	}
	return n, nil
}

// withFailed is a stream of reject rows followed by the failed rejects.
type withFailed struct {
	warehouse.CopySource
	columns []string
	rows    []failedReject
	i       int // 1 + the index of the current failed reject; 0 while in the stream
	done    bool
}

func (w *withFailed) Next() bool {
	if !w.done {
		if w.CopySource.Next() {
			return true
		}
		if w.CopySource.Err() != nil {
			return false
		}
		w.done = true
	}
	w.i++
	return w.i <= len(w.rows)
}

func (w *withFailed) Values() ([]any, error) {
	if !w.done {
		return w.CopySource.Values()
	}
	r := w.rows[w.i-1]
	byName := map[string]any{"load_id": r.loadID, "kind": r.kind, "uri": r.URI, "line_no": r.Line, "reason": r.Reason, "raw": record.RawText([]byte(r.Raw))}
	vals := make([]any, len(w.columns))
	for i, c := range w.columns {
		v, ok := byName[c]
		if !ok {
			return nil, fmt.Errorf("sparkify_rejects: no value for column %q of a failed COPY's reject", c)
		}
		vals[i] = v
	}
	return vals, nil
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
