// Package redshift is the Amazon Redshift warehouse. It speaks the
// PostgreSQL wire protocol through the postgres engine's connection code
// (postgres.OpenWith) with its own statement set: Redshift DDL with
// distribution and sort keys, the transform in SQL Redshift accepts, and
// staging by COPY from S3 (the warehouse.FileStager ability) instead of
// rows streamed by sparkify.
//
// DSN: redshift://user@host:5439/db (the password from the DSN,
// SPARKIFY_DB_PASSWORD, PGPASSWORD or dwh.cfg). See docs/redshift.md.
package redshift

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"io/fs"
	"strings"
	"sync"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/source/s3"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/ansi"
	"github.com/sparkify/sparkify/internal/warehouse/postgres"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/*.sql
var files embed.FS

//go:embed serverless/*.sql
var serverlessFiles embed.FS

// Statements is the Redshift dialect of a provisioned cluster: the
// portable set with its overrides.
func Statements() *sqlset.Set {
	sub, _ := fs.Sub(files, "sql")
	return ansi.Set().Override(sqlset.MustParse(sub))
}

// ServerlessStatements is the dialect of Redshift Serverless: Statements
// with the load log and the session list read from the SYS monitoring
// views instead of the STL and STV tables Serverless does not have.
func ServerlessStatements() *sqlset.Set {
	sub, _ := fs.Sub(serverlessFiles, "serverless")
	return Statements().Override(sqlset.MustParse(sub))
}

// statementsFor picks the statement set of the DSN's deployment.
func statementsFor(dsn string) *sqlset.Set {
	if Serverless(dsn) {
		return ServerlessStatements()
	}
	return Statements()
}

// ErrReadOnly means a load was attempted on a warehouse opened for queries.
var ErrReadOnly = errors.New("the Redshift warehouse was opened read-only")

// Warehouse is an open Redshift database.
type Warehouse struct {
	*postgres.Warehouse
	desc     string
	ro       *sql.DB // the read-only pool, when opened read-only
	cfg      *config.Config
	region   string // the cluster's region, "" when unknown
	hooks    hooks
	s3Once   sync.Once
	s3Client *s3.Client
	s3Err    error
}

// hooks let tests stand in for what only a real cluster does.
type hooks struct {
	s3Options []s3.Option
	// copy runs a rendered COPY; nil runs it on the session's connection.
	copy func(ctx context.Context, conn *sql.Conn, c *Copy, text string) error
}

var _ warehouse.Warehouse = (*Warehouse)(nil)

// Open connects to Redshift.
func Open(ctx context.Context, dsn string, opts warehouse.Options) (*Warehouse, error) {
	pgDSN, err := PostgresDSN(dsn)
	if err != nil {
		return nil, err
	}
	return open(ctx, dsn, pgDSN, opts, statementsFor(dsn), hooks{})
}

func open(ctx context.Context, dsn, pgDSN string, opts warehouse.Options, set *sqlset.Set, h hooks) (*Warehouse, error) {
	readOnly := opts.ReadOnly
	// Redshift refuses unknown startup parameters such as
	// default_transaction_read_only: read-only is done per query instead.
	opts.ReadOnly = false
	pw, err := postgres.OpenWith(ctx, "redshift", pgDSN, opts, set, nil)
	if err != nil {
		// Name the DSN as the user gave it, not its postgres:// form.
		msg := strings.ReplaceAll(err.Error(), postgres.Describe(pgDSN), Describe(dsn))
		return nil, &openError{msg: msg, err: err}
	}
	w := &Warehouse{Warehouse: pw, desc: Describe(dsn), cfg: opts.Config, region: RegionOf(dsn), hooks: h}
	if w.cfg == nil {
		w.cfg = &config.Config{}
	}
	if w.region == "" {
		w.region = w.cfg.AWS.Region
	}
	if readOnly {
		if w.ro, err = openReadOnly(pgDSN, opts.Password); err != nil {
			pw.Close()
			return nil, err
		}
	}
	return w, nil
}

type openError struct {
	msg string
	err error
}

func (e *openError) Error() string { return e.msg }
func (e *openError) Unwrap() error { return e.err }

// String is the DSN without its password.
func (w *Warehouse) String() string { return w.desc }

// DB is the handle for reads; opened read-only, every query runs in a
// READ ONLY transaction that is rolled back.
func (w *Warehouse) DB() *sql.DB {
	if w.ro != nil {
		return w.ro
	}
	return w.Warehouse.DB()
}

// Close closes the pools.
func (w *Warehouse) Close() error {
	if w.ro != nil {
		w.ro.Close()
	}
	return w.Warehouse.Close()
}

// Session opens a dedicated connection for a load.
func (w *Warehouse) Session(ctx context.Context) (warehouse.Session, error) {
	if w.ro != nil {
		return nil, ErrReadOnly
	}
	conn, err := w.Warehouse.DB().Conn(ctx)
	if err != nil {
		return nil, err
	}
	s := &Session{w: w, conn: conn}
	if err := conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&s.pid); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

// s3 returns the S3 client COPY staging uses, made on first use so that
// queries never need AWS credentials.
func (w *Warehouse) s3(ctx context.Context) (*s3.Client, error) {
	w.s3Once.Do(func() {
		w.s3Client, w.s3Err = s3.NewClient(ctx, w.cfg, w.hooks.s3Options...)
	})
	return w.s3Client, w.s3Err
}
