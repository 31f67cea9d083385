package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	duck "github.com/duckdb/duckdb-go/v2"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// session is one connection of a load. DuckDB locks the file per process,
// so Lock only has to keep two loads of this process apart.
type session struct {
	w      *Warehouse
	conn   *sql.Conn
	locked bool
	inTx   bool
}

var (
	_ warehouse.Session          = (*session)(nil)
	_ warehouse.StagingCommitter = (*session)(nil)
)

// StagesInOwnTransaction is true: staging_events and staging_songs are
// views over the tables a load writes (see sql/staging.sql).
func (s *session) StagesInOwnTransaction() bool { return true }

// stagedTable is the table behind a staging view, which is where bulk
// loads go; other tables are themselves.
func stagedTable(table string) string {
	switch table {
	case "staging_events":
		return "sparkify_staged_events"
	case "staging_songs":
		return "sparkify_staged_songs"
	}
	return table
}

func (s *session) Lock(ctx context.Context, wait bool) error {
	if wait {
		s.w.loadMu.Lock()
	} else if !s.w.loadMu.TryLock() {
		return fmt.Errorf("%w (in this process)", warehouse.ErrLocked)
	}
	s.locked = true
	return nil
}

func (s *session) Begin(ctx context.Context) error {
	if _, err := s.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	s.inTx = true
	return nil
}

func (s *session) Commit(ctx context.Context) error {
	s.inTx = false
	_, err := s.conn.ExecContext(ctx, "COMMIT")
	return err
}

func (s *session) Rollback(ctx context.Context) error {
	if !s.inTx {
		return nil
	}
	s.inTx = false
	_, err := s.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	return err
}

func (s *session) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.conn.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s *session) Conn() *sql.Conn { return s.conn }

// CopyFrom appends rows through DuckDB's appender, inside the open
// transaction.
func (s *session) CopyFrom(ctx context.Context, table string, columns []string, src warehouse.CopySource) (int64, error) {
	var n int64
	err := s.conn.Raw(func(dc any) error {
		app, err := duck.NewAppenderWithColumns(dc.(driver.Conn), "", "", stagedTable(table), columns)
		if err != nil {
			return fmt.Errorf("appender for %s: %w", table, err)
		}
		for src.Next() {
			if n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					app.Close()
					return err
				}
			}
			vals, err := src.Values()
			if err != nil {
				app.Close()
				return err
			}
			if err := app.AppendRow(toDriver(vals)...); err != nil {
				app.Close()
				return fmt.Errorf("append to %s: %w", table, err)
			}
			n++
		}
		if err := src.Err(); err != nil {
			app.Close()
			return err
		}
		return app.Close()
	})
	return n, err
}

func toDriver(vals []any) []driver.Value {
	out := make([]driver.Value, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

func (s *session) Close() error {
	if s.inTx {
		s.Rollback(context.Background())
	}
	if s.locked {
		s.locked = false
		s.w.loadMu.Unlock()
	}
	return s.conn.Close()
}
