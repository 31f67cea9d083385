// Package warehouse is the seam between sparkify and the SQL engines it
// loads into. An engine (duckdb/, postgres/, redshift/) implements
// Warehouse and Session; its dialect lives in embedded .sql files that
// override the portable defaults of the ansi/ package block by block.
//
// Every engine runs the same contract suite (warehousetest) in one call.
package warehouse

import (
	"context"
	"database/sql"
	"time"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// Warehouse is an open warehouse.
type Warehouse interface {
	// Engine names the engine: "duckdb", "postgres" or "redshift".
	Engine() string
	// String describes the warehouse for people; it never holds a password.
	String() string
	// DB is the handle for reads (queries, reports, the dashboard).
	DB() *sql.DB
	// SQL is the engine's set of named statements.
	SQL() *sqlset.Set
	// Session opens a dedicated connection for one load.
	Session(ctx context.Context) (Session, error)
	// Close releases the warehouse.
	Close() error
}

// Session is one dedicated connection, used by a load from its lock to its
// commit. Statements run in the order they are given.
type Session interface {
	// Lock takes the warehouse-wide load lock. When another process holds it,
	// Lock returns an error wrapping ErrLocked, or waits when wait is true.
	// The lock is released by Close, and by the server if the process dies.
	Lock(ctx context.Context, wait bool) error
	// Begin, Commit and Rollback bracket the load transaction.
	Begin(ctx context.Context) error
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
	// Exec runs one statement and returns the rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Conn is the underlying connection, for queries inside the transaction.
	Conn() *sql.Conn
	// CopyFrom bulk-loads rows into table through the engine's fastest path
	// (DuckDB's appender, PostgreSQL's COPY protocol).
	CopyFrom(ctx context.Context, table string, columns []string, src CopySource) (int64, error)
	// Close ends the session, rolling back an open transaction.
	Close() error
}

// CopySource is a stream of rows, as pgx.CopyFromSource.
type CopySource interface {
	// Next advances to the next row; false at the end or on error.
	Next() bool
	// Values returns the current row.
	Values() ([]any, error)
	// Err returns the error that stopped the stream, if any.
	Err() error
}

// Options tune how a warehouse is opened.
type Options struct {
	// ReadOnly opens the warehouse for queries only.
	ReadOnly bool
	// Sandboxed, with ReadOnly, is for SQL a user wrote (sparkify sql, the
	// queries, the dashboard): an embedded engine then reaches nothing
	// outside the warehouse, so such SQL cannot write or read files (DuckDB's
	// COPY ... TO, read_csv) or fetch URLs. Server engines rely on the
	// database role's privileges for that.
	Sandboxed bool
	// StatementTimeout, when positive, has a server engine cancel any
	// statement that runs longer (PostgreSQL's statement_timeout).
	// Embedded engines are interrupted through the context instead.
	StatementTimeout time.Duration
	// Password is used when the DSN has none (from env or dwh.cfg).
	Password config.Secret
	// Config gives engines that need more (Redshift: IAM role, S3 stage) the
	// rest of the configuration. It may be nil.
	Config *config.Config
	// Client names the process to other sessions of a server engine
	// (PostgreSQL's application_name), so a busy lock can name its holder:
	// "sparkify etl (PID 42)". Empty means "sparkify".
	Client string
}

// NamedLocker is an optional Session ability: a lock besides the load lock,
// held until the session closes, for a process that must be the only one of
// its kind on a warehouse (watch). Engines whose file is locked per process
// (DuckDB) do not need it.
type NamedLocker interface {
	// LockNamed takes the lock or returns an error wrapping ErrLocked.
	LockNamed(ctx context.Context, name string) error
}

// StagingCommitter is an optional Session ability: the engine keeps staged
// rows out of sight of staging_events and staging_songs until
// staging_mark_visible runs, so a load may commit its staged rows in a
// transaction of their own and build the star in a second one. Rows of a
// load that never marks them visible are deleted by staging_cleanup.
// DuckDB uses it because it reads committed rows faster than the rows of
// an open transaction.
type StagingCommitter interface {
	// StagesInOwnTransaction reports whether the load should commit
	// staging before the transform.
	StagesInOwnTransaction() bool
}
