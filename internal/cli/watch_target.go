package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/engines"
)

// minOpenWait is the least time a poll waits for a DuckDB file another
// process has open (a query, a dashboard page) before it counts as a failed
// load and backs off; a poll waits at least one interval.
const minOpenWait = 5 * time.Second

// watchTarget is the warehouse as a watch uses it. A DuckDB file is opened
// for each load and closed after it: DuckDB locks the file per process, so
// holding it open between polls would lock every reader out. The watch
// lock beside it (PATH.watch.lock) keeps a second watch away meanwhile. A
// server warehouse stays open for the watch's life, with the session that
// holds its watch lock (PostgreSQL's advisory lock does not block readers).
type watchTarget struct {
	resident warehouse.Warehouse // nil: a DuckDB file, opened per load

	// For a DuckDB file:
	dsn      string
	file     string
	opts     warehouse.Options
	openWait time.Duration
	ours     string // the file's state as the watch's last load left it
}

// openWatchTarget takes the watch lock, released when the command ends,
// and checks the warehouse opens.
func openWatchTarget(ctx context.Context, f *Factory, openWait time.Duration) (*watchTarget, error) {
	dsn, opts, err := f.warehouseDSN(warehouse.Options{})
	if err != nil {
		return nil, err
	}
	file := ""
	if engines.Scheme(dsn) == "duckdb" {
		if file, err = duckdb.ParsePath(dsn); err != nil {
			return nil, err
		}
	}
	if file == "" {
		return openResident(ctx, f)
	}
	lock, err := duckdb.LockWatch(ctx, dsn)
	if err != nil {
		return nil, err
	}
	f.OnClose(lock.Close)
	t := &watchTarget{dsn: dsn, file: file, openWait: openWait, opts: opts}
	// Open it once now: a path that cannot be opened fails the command
	// rather than every poll.
	if err := t.use(ctx, func(warehouse.Warehouse) error { return nil }); err != nil {
		return nil, err
	}
	return t, nil
}

// openResident opens a server warehouse for the watch's life and takes its
// watch lock on a session held as long.
func openResident(ctx context.Context, f *Factory) (*watchTarget, error) {
	wh, err := f.OpenWarehouse(ctx, false, false)
	if err != nil {
		return nil, err
	}
	guard, err := wh.Session(ctx)
	if err != nil {
		return nil, fmt.Errorf("open the session of the watch lock: %w", err)
	}
	f.OnClose(guard.Close)
	if nl, ok := guard.(warehouse.NamedLocker); ok {
		if err := nl.LockNamed(ctx, "watch"); err != nil {
			return nil, err
		}
	}
	return &watchTarget{resident: wh}, nil
}

func (t *watchTarget) String() string {
	if t.resident != nil {
		return t.resident.String()
	}
	return "duckdb:" + t.file
}

// use runs fn with the warehouse open: a DuckDB file is opened (waiting a
// while for another process to let go of it) and closed again after fn.
func (t *watchTarget) use(ctx context.Context, fn func(warehouse.Warehouse) error) error {
	if t.resident != nil {
		return fn(t.resident)
	}
	openCtx, cancel := context.WithTimeout(ctx, t.openWait)
	wh, err := engines.Open(openCtx, t.dsn, t.opts, true)
	cancel()
	if err != nil {
		return err
	}
	err = fn(wh)
	if cerr := wh.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close %s after the load: %w", wh, cerr)
	}
	t.ours = fileState(t.file)
	return err
}

// probe describes what a load would look at: the sources' listing (name and
// version of every file) and whether the DuckDB file is as the watch's last
// load left it. It needs no open warehouse.
func (t *watchTarget) probe(ctx context.Context, srcs ...source.Source) (string, error) {
	h := sha256.New()
	for _, src := range srcs {
		if src == nil {
			continue
		}
		objs, err := src.List(ctx, func(string, string) {})
		if err != nil {
			return "", fmt.Errorf("list the files in %s: %w", src.URI(), err)
		}
		fmt.Fprintf(h, "source %s\n", src.URI())
		for _, o := range objs {
			fmt.Fprintf(h, "%s %s\n", o.URI, o.Version)
		}
	}
	// Another process that wrote the file (an etl, a schema reset) makes
	// the next poll load, as if a source had changed.
	state := fileState(t.file)
	if state == t.ours {
		state = "as the last load left it"
	}
	fmt.Fprintf(h, "warehouse %s\n", state)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileState is the size and modification time of a DuckDB file and its
// write-ahead log.
func fileState(path string) string {
	var s string
	for _, p := range []string{path, path + ".wal"} {
		if st, err := os.Stat(p); err == nil {
			s += fmt.Sprintf("%s %d %d;", p, st.Size(), st.ModTime().UnixNano())
		}
	}
	return s
}
