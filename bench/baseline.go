package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/baseline_duckdb.sql
var baselineDuckDB string

//go:embed sql/baseline_postgres.sql
var baselinePostgres string

// runBaselineChild runs one baseline in this (child) process, so that its
// time and memory are measured alone.
func runBaselineChild(kind string, args []string) error {
	switch kind {
	case "baseline-duckdb":
		if len(args) != 4 {
			return fmt.Errorf("usage: baseline-duckdb DB SONGS LOGS THREADS")
		}
		return duckdbBaseline(args[0], args[1], args[2], args[3])
	case "baseline-postgres":
		if len(args) != 3 {
			return fmt.Errorf("usage: baseline-postgres DSN SONGS LOGS")
		}
		return postgresBaseline(args[0], args[1], args[2])
	}
	return fmt.Errorf("unknown %s", kind)
}

func duckdbBaseline(db, songs, logs, threads string) error {
	conn, err := sql.Open("duckdb", db)
	if err != nil {
		return err
	}
	defer conn.Close()
	text := strings.NewReplacer("{{SONGS}}", songs, "{{LOGS}}", logs, "{{THREADS}}", threads,
		"{{MEMORY}}", duckdb.DefaultMemoryLimit).Replace(baselineDuckDB)
	for _, st := range sqlset.Split(text) {
		if _, err := conn.Exec(st); err != nil {
			return fmt.Errorf("%.80s: %w", st, err)
		}
	}
	return nil
}

func postgresBaseline(dsn, songs, logs string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	set, err := sqlset.Parse(fstest.MapFS{"baseline.sql": {Data: []byte(baselinePostgres)}})
	if err != nil {
		return err
	}
	stmts, _ := set.Statements("prepare")
	for _, st := range stmts {
		if _, err := conn.Exec(ctx, st); err != nil {
			return err
		}
	}
	if err := copyLines(ctx, conn, "raw_events", logs, false); err != nil {
		return err
	}
	if err := copyLines(ctx, conn, "raw_songs", songs, true); err != nil {
		return err
	}
	stmts, _ = set.Statements("transform")
	for _, st := range stmts {
		if _, err := conn.Exec(ctx, st); err != nil {
			return fmt.Errorf("%.80s: %w", st, err)
		}
	}
	return nil
}

// copyLines streams every JSON line under dir (every whole file, compacted,
// when perFile) into table's one text column over COPY. CSV with a quote
// and a delimiter that JSON text never holds keeps backslashes as they are.
func copyLines(ctx context.Context, conn *pgx.Conn, table, dir string, perFile bool) error {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if perFile {
				var c bytes.Buffer
				if err := json.Compact(&c, data); err != nil {
					return err
				}
				data = c.Bytes()
			}
			for _, line := range bytes.Split(data, []byte("\n")) {
				if len(bytes.TrimSpace(line)) > 0 {
					bw.Write(line)
					bw.WriteByte('\n')
				}
			}
			return nil
		})
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	_, err := conn.PgConn().CopyFrom(ctx, pr,
		"COPY "+table+" (doc) FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')")
	return err
}
