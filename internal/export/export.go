package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sparkify/sparkify/internal/source/s3"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// Options say what to export and where.
type Options struct {
	// Out is a local folder or an S3 prefix (s3://bucket/prefix).
	Out string
	// Tables to export; empty means all of Tables.
	Tables []string
	// Format of the files; "" means Parquet.
	Format Format
	// S3 is the client for an s3:// Out.
	S3 *s3.Client
	// TempDir is where an S3 export is staged before its upload (default
	// os.TempDir()).
	TempDir string
	// Now is the clock (default time.Now).
	Now func() time.Time

	// stream forces the database/sql path even on DuckDB (tests compare
	// the two writers).
	stream bool
	// afterTable, when set, runs after each table is written; an error
	// stops the export (tests interrupt exports here).
	afterTable func(ctx context.Context, table string) error
	// exchange, when set, replaces the atomic folder swap (tests make it
	// fail to take the fallback).
	exchange func(a, b string) error
}

// Result is a finished export.
type Result struct {
	// Location is where the export is: the folder or s3:// prefix.
	Location string `json:"location"`
	// Manifest is the manifest readers find at Location/manifest.json.
	Manifest *Manifest `json:"manifest"`
	// Warnings are problems after the export was published, such as an old
	// S3 version that could not be deleted.
	Warnings  []string `json:"warnings,omitempty"`
	ElapsedMS int64    `json:"elapsed_ms"`
}

// Run exports the tables of wh (open it read-only) to opts.Out. On any
// error, including a cancelled ctx, the previous export at Out is left as
// it was and the staged files are removed.
func Run(ctx context.Context, wh warehouse.Warehouse, opts Options) (*Result, error) {
	start := time.Now()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	format, err := ParseFormat(string(opts.Format))
	if err != nil {
		return nil, err
	}
	plan, err := Plan(opts.Tables)
	if err != nil {
		return nil, err
	}
	dest, err := newDestination(opts)
	if err != nil {
		return nil, err
	}
	if err := dest.check(ctx); err != nil {
		return nil, err
	}
	staged, err := dest.stage()
	if err != nil {
		return nil, err
	}
	published := false
	defer func() {
		if !published {
			dest.abort(ctx, staged)
		}
	}()

	eng := engineFor(wh.Engine())
	if opts.stream {
		eng.write = streamRows
	}
	m, err := writeTables(ctx, wh, eng, plan, format, staged, opts)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(staged, ManifestFile), m.encode(), 0o666); err != nil {
		return nil, fmt.Errorf("write the manifest: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	warnings, err := dest.publish(ctx, staged, m)
	if err != nil {
		return nil, err
	}
	published = true
	return &Result{Location: dest.String(), Manifest: m, Warnings: warnings, ElapsedMS: time.Since(start).Milliseconds()}, nil
}

// writeTables writes every planned table into staged, all read in one
// read-only snapshot, and returns the manifest.
func writeTables(ctx context.Context, wh warehouse.Warehouse, eng engine, plan []Table, format Format, staged string, opts Options) (*Manifest, error) {
	tx, err := wh.DB().BeginTx(ctx, &eng.snapshot)
	if err != nil {
		return nil, fmt.Errorf("start a read-only snapshot of %s: %w", wh, err)
	}
	defer tx.Rollback()

	var loadID sql.NullInt64
	latest, _ := statements.Text("latest_load")
	if err := tx.QueryRowContext(ctx, latest).Scan(&loadID); err != nil {
		return nil, fmt.Errorf("read the latest load from sparkify_runs (run 'sparkify schema' or a load first): %w", err)
	}
	m := &Manifest{Producer: Producer, Format: format, Engine: wh.Engine(), NullPartition: NullPartition}
	if loadID.Valid {
		m.LoadID = &loadID.Int64
	}
	for _, t := range plan {
		tm, err := writeTable(ctx, tx, eng, t, format, staged)
		if err != nil {
			return nil, err
		}
		m.Tables = append(m.Tables, *tm)
		if opts.afterTable != nil {
			if err := opts.afterTable(ctx, t.Name); err != nil {
				return nil, err
			}
		}
	}
	m.WrittenAt = opts.Now().UTC()
	m.ID = exportID(m.WrittenAt, m.LoadID)
	return m, nil
}

// writeTable writes one table into staged/<name> and describes it.
func writeTable(ctx context.Context, tx *sql.Tx, eng engine, t Table, format Format, staged string) (*TableManifest, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cols, err := describe(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(staged, t.Name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("create the folder of %s: %w", t.Name, err)
	}
	// Partition values that get safe names: DuckDB's COPY would name
	// their folders itself (too long a name fails), so the Go writer,
	// which applies the rule, writes such a table.
	renamed, err := renamedPartitions(ctx, tx, t, cols)
	if err != nil {
		return nil, err
	}
	write := eng.write
	if len(renamed) > 0 {
		write = streamRows
	}
	n, err := write(ctx, tx, t, cols, dir, format)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("export %s: %w", t.Name, err)
	}
	files, bytes, err := countFiles(dir, format)
	if err != nil {
		return nil, err
	}
	// Files list data columns first, then the partition columns (folders).
	ordered := make([]Column, 0, len(cols))
	for _, part := range []bool{false, true} {
		for _, c := range cols {
			if c.Partition == part {
				ordered = append(ordered, c)
			}
		}
	}
	return &TableManifest{Name: t.Name, Path: t.Name, Rows: n, Files: files, Bytes: bytes,
		PartitionBy: append([]string{}, t.PartitionBy...), Columns: ordered, RenamedPartitions: renamed}, nil
}

// countFiles counts the data files under dir and their bytes.
func countFiles(dir string, format Format) (int, int64, error) {
	files, bytes := 0, int64(0)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, format.ext()) {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		bytes += info.Size()
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("count the files written to %s: %w", dir, err)
	}
	return files, bytes, nil
}

// destination is where an export goes: it stages the files in a local
// folder, then publishes them atomically.
type destination interface {
	// check refuses a destination that holds something other than an
	// export.
	check(ctx context.Context) error
	// stage creates the local folder the export is written into.
	stage() (string, error)
	// publish makes the staged export current and removes the previous
	// one; warnings are problems after the switch.
	publish(ctx context.Context, staged string, m *Manifest) (warnings []string, err error)
	// abort removes what a failed export left.
	abort(ctx context.Context, staged string)
	String() string
}

// newDestination picks the destination of opts.Out.
func newDestination(opts Options) (destination, error) {
	if opts.Out == "" {
		return nil, errors.New("no output location: give a folder or s3://bucket/prefix")
	}
	if len(opts.Out) >= 5 && strings.EqualFold(opts.Out[:5], "s3://") {
		return newS3Dest(opts)
	}
	d, err := newLocalDest(opts.Out)
	if err == nil && opts.exchange != nil {
		d.exchange = opts.exchange
	}
	return d, err
}
