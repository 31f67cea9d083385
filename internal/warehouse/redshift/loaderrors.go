package redshift

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// copyResult is what one COPY did, read back from Redshift's load log.
type copyResult struct {
	id      int64
	count   int64                   // rows loaded into the raw table
	errors  []warehouse.StageReject // lines COPY rejected
	perFile map[string]int64        // rejected lines by staged URL
	lines   map[string]int64        // records read by staged URL
	logged  map[string]bool         // staged URLs the load log has a row for
}

// accounted reports whether the load log counted the records of every one
// of files, and those counts less the rejected lines add up to the rows
// the COPY loaded.
func (r *copyResult) accounted(files []staged) bool {
	var n int64
	for _, f := range files {
		if !r.logged[f.url] {
			return false
		}
		n += r.lines[f.url] - r.perFile[f.url]
	}
	return n == r.count
}

// copy renders and runs a COPY, then reads back its query id, row count,
// rejected lines (stl_load_errors) and per-file record counts.
func (s *Session) copy(ctx context.Context, c *Copy, files []staged) (*copyResult, error) {
	text, err := c.Render(s.w.SQL())
	if err != nil {
		return nil, err
	}
	run := s.w.hooks.copy
	if run == nil {
		run = func(ctx context.Context, conn *sql.Conn, _ *Copy, text string) error {
			_, err := conn.ExecContext(ctx, text)
			return err
		}
	}
	if s.since.IsZero() {
		q, err := s.w.SQL().Text("copy_clock")
		if err != nil {
			return nil, err
		}
		if err := s.conn.QueryRowContext(ctx, q).Scan(&s.since); err != nil {
			return nil, fmt.Errorf("read the cluster's clock: %w", err)
		}
	}
	if err := run(ctx, s.conn, c, text); err != nil {
		return nil, s.copyFailed(ctx, c, files, err)
	}
	res := &copyResult{perFile: map[string]int64{}, lines: map[string]int64{}, logged: map[string]bool{}}
	q, err := s.w.SQL().Text("copy_last")
	if err != nil {
		return nil, err
	}
	if err := s.conn.QueryRowContext(ctx, q).Scan(&res.id, &res.count); err != nil {
		return nil, fmt.Errorf("copy_last: %w", err)
	}
	s.lastCopy = res.id
	index := byURL(files)
	if err := s.readErrors(ctx, res, index); err != nil {
		return nil, err
	}
	if err := s.readLines(ctx, res, index, files); err != nil {
		return nil, err
	}
	return res, nil
}

// readErrors maps each rejected line to the file the user named (a local
// path for uploaded files), with Redshift's reason.
func (s *Session) readErrors(ctx context.Context, res *copyResult, byURL map[string]staged) error {
	q, err := s.w.SQL().Text("copy_errors")
	if err != nil {
		return err
	}
	rows, err := s.conn.QueryContext(ctx, q, res.id)
	if err != nil {
		return fmt.Errorf("read the rejected lines of COPY %d: %w", res.id, err)
	}
	defer rows.Close()
	return scanErrors(rows, res, byURL)
}

// scanErrors reads rows of (file, line, column, reason, raw line) from
// stl_load_errors into res.
func scanErrors(rows *sql.Rows, res *copyResult, byURL map[string]staged) error {
	for rows.Next() {
		var file, col, reason, raw sql.NullString
		var line sql.NullInt64
		if err := rows.Scan(&file, &line, &col, &reason, &raw); err != nil {
			return err
		}
		url := matchFile(file.String, byURL)
		uri := strings.TrimSpace(file.String)
		if f, ok := byURL[url]; ok {
			uri = f.file.URI
			res.perFile[url]++
		}
		why := strings.TrimSpace(reason.String)
		if c := strings.TrimSpace(col.String); c != "" {
			why = "column " + c + ": " + why
		}
		res.errors = append(res.errors, warehouse.StageReject{URI: uri, Line: line.Int64, Reason: why, Raw: raw.String})
	}
	return rows.Err()
}

// readLines reads how many records COPY read from each file. When the load
// log has no row for a file (it is written per slice as files complete),
// the file is counted as one record, as a song file holds.
func (s *Session) readLines(ctx context.Context, res *copyResult, byURL map[string]staged, files []staged) error {
	q, err := s.w.SQL().Text("copy_file_lines")
	if err != nil {
		return err
	}
	rows, err := s.conn.QueryContext(ctx, q, res.id)
	if err != nil {
		return fmt.Errorf("read the files of COPY %d: %w", res.id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var file string
		var n int64
		if err := rows.Scan(&file, &n); err != nil {
			return err
		}
		if url := matchFile(file, byURL); url != "" {
			res.lines[url] += n
			res.logged[url] = true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range files {
		if _, ok := res.lines[f.url]; !ok {
			res.lines[f.url] = max(1, res.perFile[f.url])
		}
	}
	return nil
}

// matchFile finds the staged URL a load-log file name refers to. Redshift
// keeps 256 characters of it: a longer URL matches by that prefix.
func matchFile(name string, byURL map[string]staged) string {
	name = strings.TrimSpace(name)
	if _, ok := byURL[name]; ok {
		return name
	}
	if len(name) >= 200 {
		for u := range byURL {
			if strings.HasPrefix(u, name) {
				return u
			}
		}
	}
	return ""
}

// copyFailed explains a COPY that failed and keeps the lines Redshift
// logged for it, to be recorded with the failed run (StageFiles reports them).
// They are read on another connection: this one's transaction is aborted,
// but stl_load_errors is a log that keeps the rows of a rolled-back COPY.
// The failed COPY is the latest of this session's COPYs with errors, after
// the last one that completed (pg_last_copy_id is not relied on once the
// transaction is aborted), and started after this session's first COPY
// (a process id can be reused by a later session).
//
// A COPY that logged more bad lines than its MAXERROR stopped for them: its
// error wraps warehouse.ErrTooManyRejects, as the other engines fail a load
// over --max-rejects.
func (s *Session) copyFailed(ctx context.Context, c *Copy, files []staged, err error) error {
	msg := fmt.Sprintf("COPY into %s from %s failed", c.Table, c.Manifest)
	res, rerr := s.abortedErrors(context.WithoutCancel(ctx), files)
	if rerr != nil {
		return fmt.Errorf("%s (its rejected lines could not be read: %v): %w", msg, rerr, err)
	}
	s.aborted = res.errors
	if int64(len(res.errors)) > c.MaxError {
		msg = fmt.Sprintf("%s; with MAXERROR %d (the lines --max-rejects still allowed, plus one) "+
			"more bad lines stop the COPY, and nothing is committed: fix the input or raise --max-rejects", msg, c.MaxError)
		err = fmt.Errorf("%w: %w", warehouse.ErrTooManyRejects, err)
	}
	for i, r := range res.errors {
		if i == shownReasons {
			msg += fmt.Sprintf("\n  ... and %d more (see 'sparkify runs --rejects')", len(res.errors)-i)
			break
		}
		msg += fmt.Sprintf("\n  %s line %d: %s", r.URI, r.Line, r.Reason)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// shownReasons is how many of an aborted COPY's rejected lines its error names.
const shownReasons = 10

// abortedErrors reads the rejected lines of the COPY that just failed in
// this session.
func (s *Session) abortedErrors(ctx context.Context, files []staged) (*copyResult, error) {
	res := &copyResult{perFile: map[string]int64{}}
	if s.pid == 0 || s.since.IsZero() {
		return res, nil
	}
	q, err := s.w.SQL().Text("copy_errors_of_failed")
	if err != nil {
		return nil, err
	}
	rows, err := s.w.Warehouse.DB().QueryContext(ctx, q, s.pid, s.lastCopy, s.since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return res, scanErrors(rows, res, byURL(files))
}
