// Package postgres is the PostgreSQL warehouse, through pgx: reads over
// database/sql, bulk staging over the COPY protocol.
// DSN: postgres://user@host:port/db?sslmode=...
package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/ansi"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/*.sql
var files embed.FS

// Statements is the PostgreSQL dialect: the portable set with its overrides.
func Statements() *sqlset.Set {
	sub, _ := fs.Sub(files, "sql")
	return ansi.Set().Override(sqlset.MustParse(sub))
}

// Warehouse is an open PostgreSQL database.
type Warehouse struct {
	engine string
	desc   string
	db     *sql.DB
	sql    *sqlset.Set
}

var _ warehouse.Warehouse = (*Warehouse)(nil)

// Open connects to PostgreSQL. The password comes from the DSN, or else from
// opts.Password (SPARKIFY_DB_PASSWORD, PGPASSWORD or dwh.cfg).
//
// The server is asked to check every second, even in the middle of a long
// statement, that the client is still there: if sparkify is killed, its
// backend stops and its load lock is free at once, not when the statement
// would have ended.
//
// opts.StatementTimeout becomes the session's statement_timeout.
func Open(ctx context.Context, dsn string, opts warehouse.Options) (*Warehouse, error) {
	params := map[string]string{"client_connection_check_interval": "1000"}
	if ms := opts.StatementTimeout.Milliseconds(); ms > 0 {
		params["statement_timeout"] = strconv.FormatInt(ms, 10)
	}
	return OpenWith(ctx, "postgres", dsn, opts, Statements(), params)
}

// OpenWith connects with a given engine name and statement set: Redshift
// speaks the same wire protocol with its own dialect.
func OpenWith(ctx context.Context, engine, dsn string, opts warehouse.Options, set *sqlset.Set, params map[string]string) (*Warehouse, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%s DSN: %w", engine, redactErr(err, dsn))
	}
	if cfg.Password == "" && opts.Password != "" {
		cfg.Password = opts.Password.Reveal()
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = cmp.Or(opts.Client, "sparkify")
	for k, v := range params {
		cfg.RuntimeParams[k] = v
	}
	if opts.ReadOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s at %s: %w", engine, Describe(dsn), err)
	}
	return &Warehouse{engine: engine, desc: Describe(dsn), db: db, sql: set}, nil
}

// Describe renders a DSN without its password.
// A keyword/value DSN keeps its keys, with the password masked.
func Describe(dsn string) string {
	if IsKeywordDSN(dsn) {
		return describeKeyword(dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "(unparsable DSN)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// redactErr keeps a password that a parse error may quote out of messages.
func redactErr(err error, dsn string) error {
	if IsKeywordDSN(dsn) {
		msg := strings.ReplaceAll(err.Error(), dsn, describeKeyword(dsn))
		for _, m := range keywordPassword.FindAllStringSubmatch(dsn, -1) {
			if pw := strings.Trim(m[2], "'"); pw != "" {
				msg = strings.ReplaceAll(msg, pw, "********")
			}
		}
		return fmt.Errorf("%s", msg)
	}
	u, perr := url.Parse(dsn)
	if perr != nil || u.User == nil {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), dsn, "(DSN)"))
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), pw, "********"))
	}
	return err
}

// Engine is "postgres" (or the engine given to OpenWith).
func (w *Warehouse) Engine() string { return w.engine }

// String is the DSN without its password.
func (w *Warehouse) String() string { return w.desc }

// DB is the database handle.
func (w *Warehouse) DB() *sql.DB { return w.db }

// SQL is the statement set.
func (w *Warehouse) SQL() *sqlset.Set { return w.sql }

// Close closes the pool.
func (w *Warehouse) Close() error { return w.db.Close() }

// Session opens a dedicated connection.
func (w *Warehouse) Session(ctx context.Context) (warehouse.Session, error) {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &Session{conn: conn}, nil
}
