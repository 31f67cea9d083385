package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// Session is one connection of a load. Its lock is a session-level advisory
// lock keyed by database and schema: the server drops it if the process dies.
type Session struct {
	conn   *sql.Conn
	locked bool
	inTx   bool
	named  []string
}

var _ warehouse.Session = (*Session)(nil)

const lockKey = `hashtextextended('sparkify:' || current_database() || ':' || current_schema(), 0)`

// Lock takes the advisory lock, waiting for it when wait is true.
func (s *Session) Lock(ctx context.Context, wait bool) error {
	if wait {
		if _, err := s.conn.ExecContext(ctx, "SELECT pg_advisory_lock("+lockKey+")"); err != nil {
			return fmt.Errorf("wait for the load lock: %w", err)
		}
		s.locked = true
		return nil
	}
	var ok bool
	if err := s.conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock("+lockKey+")").Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w%s: wait for it to finish, or pass --wait", warehouse.ErrLocked, s.holder(ctx, lockKey))
	}
	s.locked = true
	return nil
}

var _ warehouse.NamedLocker = (*Session)(nil)

const namedLockKey = `hashtextextended('sparkify:' || current_database() || ':' || current_schema() || ':' || $1, 0)`

// LockNamed takes an advisory lock named name, released by Close.
func (s *Session) LockNamed(ctx context.Context, name string) error {
	var ok bool
	if err := s.conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock("+namedLockKey+")", name).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: another sparkify %s holds it%s", warehouse.ErrLocked, name, s.holder(ctx, namedLockKey, name))
	}
	s.named = append(s.named, name)
	return nil
}

// Begin starts the load transaction.
func (s *Session) Begin(ctx context.Context) error {
	if _, err := s.conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	s.inTx = true
	return nil
}

// Commit commits the load transaction.
func (s *Session) Commit(ctx context.Context) error {
	s.inTx = false
	_, err := s.conn.ExecContext(ctx, "COMMIT")
	return err
}

// Rollback abandons the load transaction.
func (s *Session) Rollback(ctx context.Context) error {
	if !s.inTx {
		return nil
	}
	s.inTx = false
	_, err := s.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	return err
}

// Exec runs one statement.
func (s *Session) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.conn.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Conn is the dedicated connection.
func (s *Session) Conn() *sql.Conn { return s.conn }

// CopyFrom streams rows over the COPY protocol, inside the transaction.
func (s *Session) CopyFrom(ctx context.Context, table string, columns []string, src warehouse.CopySource) (int64, error) {
	var n int64
	err := s.conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("postgres: connection is not a pgx connection")
		}
		var err error
		n, err = pc.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, src)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("copy into %s: %w", table, err)
	}
	return n, nil
}

// Close rolls back what is open, releases the lock and the connection.
func (s *Session) Close() error {
	ctx := context.Background()
	if s.inTx {
		s.Rollback(ctx)
	}
	if s.locked {
		s.locked = false
		s.conn.ExecContext(ctx, "SELECT pg_advisory_unlock("+lockKey+")")
	}
	for _, name := range s.named {
		s.conn.ExecContext(ctx, "SELECT pg_advisory_unlock("+namedLockKey+")", name)
	}
	s.named = nil
	return s.conn.Close()
}

// holder names the session holding the advisory lock key (a SQL
// expression, with args) as ": held by APPLICATION_NAME", where sparkify
// sets application_name to "sparkify VERB (PID n)"; "" when it cannot be
// seen (another role's session, a lock released meanwhile). A bigint
// advisory key is classid (high 32 bits) and objid (low 32 bits).
func (s *Session) holder(ctx context.Context, key string, args ...any) string {
	var name string
	var pid int64
	err := s.conn.QueryRowContext(ctx, `
WITH k AS (SELECT `+key+` AS v)
SELECT a.application_name, a.pid
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, k
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid::text::bigint = ((k.v >> 32) & 4294967295)
  AND l.objid::text::bigint = (k.v & 4294967295)
LIMIT 1`, args...).Scan(&name, &pid)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(": held by %s, server process %d", cmp.Or(name, "a session without a name"), pid)
}
