package redshift

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sparkify/sparkify/internal/config"
)

// openReadOnly opens a pool whose every statement runs inside
// BEGIN READ ONLY ... ROLLBACK: Redshift refuses writes in a read-only
// transaction, and whatever a statement did is rolled back anyway. (A
// PostgreSQL server would take default_transaction_read_only at startup;
// Redshift does not accept that parameter.)
func openReadOnly(pgDSN string, password config.Secret) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(pgDSN)
	if err != nil {
		return nil, fmt.Errorf("redshift DSN: %w", err)
	}
	if cfg.Password == "" && password != "" {
		cfg.Password = password.Reveal()
	}
	cfg.RuntimeParams["application_name"] = "sparkify"
	db := sql.OpenDB(readOnlyConnector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(4)
	return db, nil
}

type readOnlyConnector struct{ inner driver.Connector }

func (c readOnlyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		conn.Close()
		return nil, errors.New("redshift: connection is not a pgx connection")
	}
	return &readOnlyConn{Conn: sc}, nil
}

func (c readOnlyConnector) Driver() driver.Driver { return c.inner.Driver() }

// readOnlyConn wraps each statement in a read-only transaction, unless
// the statement runs in a transaction the caller opened (BeginTx, always
// read-only): that one is not nested, so that all its statements read one
// snapshot (an export) and a wrapper's ROLLBACK never ends it.
type readOnlyConn struct{ *stdlib.Conn }

// inTransaction reports whether the connection is inside a transaction:
// the server's transaction status, from its last ReadyForQuery ('I' idle,
// 'T' in a transaction, 'E' in a failed one).
func (c *readOnlyConn) inTransaction() bool { return c.Conn.Conn().PgConn().TxStatus() != 'I' }

func (c *readOnlyConn) begin(ctx context.Context) error {
	_, err := c.Conn.ExecContext(ctx, "BEGIN READ ONLY", nil)
	return err
}

func (c *readOnlyConn) end() { c.Conn.ExecContext(context.Background(), "ROLLBACK", nil) }

// QueryContext runs a query in its own read-only transaction, ended when
// the rows are closed (in the caller's transaction when one is open).
func (c *readOnlyConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTransaction() {
		return c.Conn.QueryContext(ctx, query, args)
	}
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	rows, err := c.Conn.QueryContext(ctx, query, args)
	if err != nil {
		c.end()
		return nil, err
	}
	return &readOnlyRows{Rows: rows, end: c.end}, nil
}

// ExecContext runs a statement in a read-only transaction and rolls it back
// (in the caller's transaction when one is open).
func (c *readOnlyConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.inTransaction() {
		return c.Conn.ExecContext(ctx, query, args)
	}
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	defer c.end()
	return c.Conn.ExecContext(ctx, query, args)
}

// BeginTx starts an explicit transaction, always read-only. Redshift takes
// every isolation level and runs it as SERIALIZABLE ("BEGIN",
// https://docs.aws.amazon.com/redshift/latest/dg/r_BEGIN.html).
func (c *readOnlyConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	opts.ReadOnly = true
	return c.Conn.BeginTx(ctx, opts)
}

type readOnlyRows struct {
	driver.Rows
	end  func()
	done bool
}

func (r *readOnlyRows) Close() error {
	err := r.Rows.Close()
	if !r.done {
		r.done = true
		r.end()
	}
	return err
}
