package redshift

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// lockPoll is how often a waiting load retries the lock.
var lockPoll = 5 * time.Second

// Session is one connection of a load.
type Session struct {
	w      *Warehouse
	conn   *sql.Conn
	pid    int64 // the server process of conn
	locked bool
	named  bool // holds named locks (LockNamed)
	inTx   bool
	// rejected counts the lines COPY and validation rejected in this
	// session's load so far: it sets the next COPY's MAXERROR.
	rejected int64
	regions  map[string]string // bucket -> region, "" when unknown
	since    time.Time         // the cluster's clock before this session's first COPY
	lastCopy int64             // the query id of the last COPY that completed
	// aborted holds the lines an aborted COPY rejected, until StageFiles
	// reports them with its error.
	aborted []warehouse.StageReject
}

var (
	_ warehouse.Session    = (*Session)(nil)
	_ warehouse.FileStager = (*Session)(nil)
)

// Lock takes the load lock (see sql/lock.sql), waiting when wait is true.
func (s *Session) Lock(ctx context.Context, wait bool) error {
	if err := s.block(ctx, "lock_prepare"); err != nil {
		return fmt.Errorf("prepare the load lock: %w", err)
	}
	for {
		ok, err := s.tryLock(ctx)
		if err != nil {
			return fmt.Errorf("take the load lock: %w", err)
		}
		if ok {
			s.locked = true
			return nil
		}
		if !wait {
			return fmt.Errorf("%w: wait for it to finish, or pass --wait", warehouse.ErrLocked)
		}
		select {
		case <-time.After(lockPoll):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Session) tryLock(ctx context.Context) (bool, error) {
	return s.tryLockWith(ctx, "lock_")
}

// tryLockWith takes a lock kept as a row naming its holder, with the
// blocks PREFIXtable, PREFIXheld_by_other and PREFIXtake (args go to those
// that reference them).
func (s *Session) tryLockWith(ctx context.Context, prefix string, args ...any) (bool, error) {
	if err := s.Begin(ctx); err != nil {
		return false, err
	}
	defer s.Rollback(ctx)
	if err := s.block(ctx, prefix+"table"); err != nil {
		return false, err
	}
	q, err := s.w.SQL().Text(prefix + "held_by_other")
	if err != nil {
		return false, err
	}
	var others int64
	if err := s.conn.QueryRowContext(ctx, q, sqlset.Args(q, args)...).Scan(&others); err != nil {
		return false, err
	}
	if others > 0 {
		return false, nil
	}
	n, err := s.execBlock(ctx, prefix+"take", args...)
	if err != nil {
		return false, err
	}
	if n != 1 {
		return false, fmt.Errorf("this session is not in the cluster's list of sessions (found %d rows)", n)
	}
	return true, s.Commit(ctx)
}

var _ warehouse.NamedLocker = (*Session)(nil)

// LockNamed takes the lock called name (watch's), held until Close; a
// holder whose session is gone is taken over, as for the load lock.
func (s *Session) LockNamed(ctx context.Context, name string) error {
	if err := s.block(ctx, "named_lock_prepare"); err != nil {
		return fmt.Errorf("prepare the %s lock: %w", name, err)
	}
	ok, err := s.tryLockWith(ctx, "named_lock_", name)
	if err != nil {
		return fmt.Errorf("take the %s lock: %w", name, err)
	}
	if !ok {
		return fmt.Errorf("%w: another sparkify %s holds it", warehouse.ErrLocked, name)
	}
	s.named = true
	return nil
}

// block runs a named block's statements.
func (s *Session) block(ctx context.Context, name string, args ...any) error {
	_, err := s.execBlock(ctx, name, args...)
	return err
}

// execBlock runs a named block and returns the rows its last statement
// affected. Statements get only the arguments they reference.
func (s *Session) execBlock(ctx context.Context, name string, args ...any) (int64, error) {
	stmts, err := s.w.SQL().Statements(name)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, st := range stmts {
		if n, err = s.Exec(ctx, st, sqlset.Args(st, args)...); err != nil {
			return n, fmt.Errorf("%s: %w", name, err)
		}
	}
	return n, nil
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
	s.rejected = 0
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

// Close rolls back what is open, releases the lock and the connection.
func (s *Session) Close() error {
	ctx := context.Background()
	if s.inTx {
		s.Rollback(ctx)
	}
	if s.locked {
		s.locked = false
		s.block(ctx, "lock_release")
	}
	if s.named {
		s.named = false
		s.block(ctx, "named_lock_release")
	}
	return s.conn.Close()
}
