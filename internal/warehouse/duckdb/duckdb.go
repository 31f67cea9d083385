// Package duckdb is the embedded DuckDB warehouse, sparkify's default: one
// file, zero setup. DSN: duckdb:PATH (duckdb::memory: for a throwaway one).
package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	duck "github.com/duckdb/duckdb-go/v2"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/ansi"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/*.sql
var files embed.FS

// Statements is the DuckDB dialect: the portable set with DuckDB's overrides.
func Statements() *sqlset.Set {
	sub, _ := fs.Sub(files, "sql")
	return ansi.Set().Override(sqlset.MustParse(sub))
}

// Warehouse is an open DuckDB database file.
type Warehouse struct {
	path      string
	connector *duck.Connector
	db        *sql.DB
	sql       *sqlset.Set
	loadMu    sync.Mutex // one load at a time within this process
}

var _ warehouse.Warehouse = (*Warehouse)(nil)

// ParsePath extracts the database path from a duckdb: DSN, without the
// settings that may follow it (duckdb:PATH?memory_limit=2GB&threads=4).
func ParsePath(dsn string) (string, error) {
	path, _, err := parseDSN(dsn)
	return path, err
}

func parseDSN(dsn string) (string, url.Values, error) {
	rest, ok := strings.CutPrefix(dsn, "duckdb:")
	if !ok {
		return "", nil, fmt.Errorf("%w: %q is not a duckdb: DSN", warehouse.ErrUnknownEngine, dsn)
	}
	rest = strings.TrimPrefix(rest, "//")
	path, query, _ := strings.Cut(rest, "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		return "", nil, fmt.Errorf("duckdb: DSN settings %q: %w", query, err)
	}
	if path == "" {
		return "", nil, errors.New("duckdb: DSN has no file path (use duckdb:PATH or duckdb::memory:)")
	}
	if path == ":memory:" {
		path = ""
	}
	return path, params, nil
}

// DefaultMemoryLimit caps DuckDB's buffer memory unless the DSN sets
// memory_limit, spilling to disk beside the file when it must. With the Go
// heap's own soft limit, a whole sparkify process then stays near 700 MB
// for 5,000,000 events and for 10,000,000 (at 512MB it grew from 0.9 to
// 1.2 GB with no gain in speed; see bench/PROFILE.md).
const DefaultMemoryLimit = "256MB"

// lockRetry is how often Open retries a file another process holds.
const lockRetry = 200 * time.Millisecond

// Open opens (creating if needed) a DuckDB warehouse. A file another
// process has open is reported as a *HeldError naming that process (it
// matches warehouse.ErrLocked); with wait, Open retries until ctx ends, and
// without, it still retries for readerGrace while the holder only reads.
func Open(ctx context.Context, dsn string, opts warehouse.Options, wait bool) (*Warehouse, error) {
	path, params, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if params.Get("memory_limit") == "" {
		params.Set("memory_limit", DefaultMemoryLimit)
	}
	if opts.ReadOnly && path != "" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no warehouse at %s yet: load one with 'sparkify etl' or 'sparkify demo'", path)
		}
		params.Set("access_mode", "READ_ONLY")
	}
	if opts.ReadOnly && opts.Sandboxed {
		// Off at startup, it cannot be switched back on by the SQL itself.
		params.Set("enable_external_access", "false")
	}
	connStr := path
	if len(params) > 0 {
		connStr += "?" + params.Encode()
	}
	var graceEnds time.Time // see readerGrace
	for {
		c, err := duck.NewConnector(connStr, initConn)
		if err == nil {
			db := sql.OpenDB(c)
			return &Warehouse{path: path, connector: c, db: db, sql: Statements()}, nil
		}
		if beingCreated(path, err) {
			// Another process is writing the new file's header: it will
			// hold the file's lock in a moment (or have let it go).
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("open DuckDB %s: %w", describe(path), err)
			case <-time.After(lockRetry):
			}
			continue
		}
		if !isLockError(err) {
			return nil, fmt.Errorf("open DuckDB %s: %w", describe(path), err)
		}
		if !wait {
			h := holderOf(err)
			if graceEnds.IsZero() {
				graceEnds = time.Now().Add(readerGrace)
			}
			if !h.reader() || time.Now().After(graceEnds) {
				return nil, &HeldError{Path: path, holder: h}
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: gave up waiting for %s: %v", warehouse.ErrLocked, path, ctx.Err())
		case <-time.After(lockRetry):
		}
	}
}

// connSettings tune every connection.
//
// Bulk loads of many small files need insertion order off (DuckDB
// otherwise buffers them all in memory).
//
// The two thresholds make every COMMIT a checkpoint that skips the WAL, so
// that a commit is all or nothing at every instant. With DuckDB's defaults
// (v1.5.6) a commit of a few MB of WAL goes to the WAL and the checkpoint
// waits for the file to close; a large INSERT's rows are written to the
// file before the commit ("optimistic writes") and its WAL entry only
// points at them. A process killed while that WAL was being written left a
// WAL whose replay kept the rows of the tables written so far: songplays
// and time of a load visible, its users and run record not (reproduced
// 9 times in 9 with kills 0-30 ms into COMMIT). A checkpoint instead
// installs everything by writing one new database header: killed before
// that write, the file holds the previous state; after it, the new one.
// internal/reliability's TestKillInsideCommit kills loads inside COMMIT.
var connSettings = []string{
	"SET preserve_insertion_order = false",
	"SET checkpoint_threshold = '0b'",
	"SET auto_checkpoint_skip_wal_threshold = 0",
}

func initConn(execer driver.ExecerContext) error {
	for _, q := range connSettings {
		if _, err := execer.ExecContext(context.Background(), q, nil); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// creatingFor is how young a file that is not (yet) a DuckDB database must
// be to be taken for one another process is creating, rather than for a
// file that is not a database at all. 3 s was too short on a machine busy
// with other loads' checkpoints (CI: both of two loads started at once on
// a new file gave up on it).
const creatingFor = 15 * time.Second

// beingCreated reports whether an open failed because the file is a new
// DuckDB database another process has not finished writing: its header is
// not there yet, and it was written a moment ago. Two loads that start at
// once on a warehouse that does not exist yet meet this.
func beingCreated(path string, err error) bool {
	if path == "" || !strings.Contains(err.Error(), "not a valid DuckDB database file") {
		return false
	}
	st, serr := os.Stat(path)
	return serr == nil && time.Since(st.ModTime()) < creatingFor
}

func isLockError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Could not set lock") || strings.Contains(s, "Conflicting lock")
}

func describe(path string) string {
	if path == "" {
		return "(in memory)"
	}
	return path
}

// Engine is "duckdb".
func (w *Warehouse) Engine() string { return "duckdb" }

// String names the file.
func (w *Warehouse) String() string { return "duckdb:" + describe(w.path) }

// DB is the database handle.
func (w *Warehouse) DB() *sql.DB { return w.db }

// SQL is the DuckDB statement set.
func (w *Warehouse) SQL() *sqlset.Set { return w.sql }

// Close checkpoints and closes the file.
func (w *Warehouse) Close() error {
	err := w.db.Close()
	if cerr := w.connector.Close(); err == nil {
		err = cerr
	}
	return err
}

// Session opens a dedicated connection.
func (w *Warehouse) Session(ctx context.Context) (warehouse.Session, error) {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &session{w: w, conn: conn}, nil
}
