package warehouse

import (
	"context"
	"database/sql"

	"github.com/sparkify/sparkify/internal/output"
)

// Querier is what Query needs: *sql.DB, *sql.Conn and *sql.Tx all fit.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Query runs a query and reads all its rows into a Result.
func Query(ctx context.Context, q Querier, query string, args ...any) (*output.Result, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &output.Result{Columns: cols, Rows: [][]any{}}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}

// SliceSource is a CopySource over rows held in memory.
type SliceSource struct {
	Rows [][]any
	i    int
}

// Next advances to the next row.
func (s *SliceSource) Next() bool { s.i++; return s.i <= len(s.Rows) }

// Values returns the current row.
func (s *SliceSource) Values() ([]any, error) { return s.Rows[s.i-1], nil }

// Err is always nil.
func (s *SliceSource) Err() error { return nil }
