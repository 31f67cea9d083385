package redshift

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/sparkify/sparkify/internal/source/s3"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// This file lets the Redshift driver run on PostgreSQL, honestly labelled:
//   - the Redshift statement set runs as written, except the migrations, whose
//     table attributes (DISTKEY, SORTKEY, DISTSTYLE) PostgreSQL lacks and are
//     stripped (columns and types are kept);
//   - Redshift functions and system tables the driver reads are shims with
//     Redshift's names and columns: STRTOL (base 16), GETDATE,
//     pg_last_copy_id/count, and for a provisioned cluster stv_sessions,
//     stl_load_errors, stl_load_commits, for Serverless (a rig of its own,
//     where those do not exist) sys_session_history, sys_load_history,
//     sys_load_error_detail, sys_load_detail - views over the same log;
//   - COPY itself is emulated in Go: it reads the manifest and objects from
//     an in-process S3 (gofakes3), maps fields by the JSONPaths document or
//     by lower-cased name ('auto ignorecase'), checks NOT NULL columns and
//     logs rejected lines and per-file counts into the shim tables. As on
//     Redshift, it stops at the first bad line past MAXERROR and aborts the
//     transaction, and stl_load_errors is a log, not a table of the
//     transaction: its rows are written on a connection of their own, so
//     an aborted COPY's rejected lines stay readable.
// Everything around COPY (uploads, manifests, MAXERROR budget, reading the
// load log back, validation, event_id and start_time in SQL, the transform,
// bookkeeping, locking) is the driver's real code and SQL.

// redshiftAttrs are the table attributes PostgreSQL does not know.
var redshiftAttrs = regexp.MustCompile(`\s*(DISTSTYLE \w+|DISTKEY \([^)]*\)|SORTKEY \([^)]*\))`)

// pgStatements is the Redshift set with its migrations made PostgreSQL DDL.
func pgStatements(t testing.TB, set *sqlset.Set) *sqlset.Set {
	var pg strings.Builder
	for _, name := range set.Names() {
		if strings.HasPrefix(name, "migration_") {
			ddl, _ := set.Text(name)
			pg.WriteString("-- name: " + name + "\n" + redshiftAttrs.ReplaceAllString(ddl, "") + "\n\n")
		}
	}
	o, err := sqlset.Parse(fstest.MapFS{"pg.sql": &fstest.MapFile{Data: []byte(pg.String())}})
	if err != nil {
		t.Fatal(err)
	}
	return set.Override(o)
}

// pgShims creates the Redshift look-alikes in the test schema.
const pgShims = `
CREATE FUNCTION strtol(s text, base integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN base = 16 AND length(s) <= 15 THEN ('x' || lpad(s, 16, '0'))::bit(64)::bigint END $$;
CREATE FUNCTION getdate() RETURNS timestamp LANGUAGE sql AS $$ SELECT now() AT TIME ZONE 'UTC' $$;
CREATE TABLE emul_copies (id bigint, session integer, count bigint);
CREATE TABLE emul_load_errors (query bigint, session integer, starttime timestamp, filename text, line_number bigint, colname text, err_reason text, raw_line text);
CREATE TABLE emul_load_commits (query bigint, filename text, lines_scanned bigint);
CREATE FUNCTION pg_last_copy_id() RETURNS bigint LANGUAGE sql AS
  $$ SELECT id FROM emul_copies WHERE session = pg_backend_pid() ORDER BY id DESC LIMIT 1 $$;
CREATE FUNCTION pg_last_copy_count() RETURNS bigint LANGUAGE sql AS
  $$ SELECT count FROM emul_copies WHERE session = pg_backend_pid() ORDER BY id DESC LIMIT 1 $$;
`

// provisionedShims are the STL and STV look-alikes of a provisioned
// cluster (columns as in the AWS pages STV_SESSIONS, STL_LOAD_ERRORS,
// STL_LOAD_COMMITS).
const provisionedShims = `
CREATE VIEW stv_sessions AS SELECT pid AS process, backend_start AT TIME ZONE 'UTC' AS starttime FROM pg_stat_activity;
CREATE VIEW stl_load_errors AS SELECT * FROM emul_load_errors;
CREATE VIEW stl_load_commits AS SELECT * FROM emul_load_commits;
`

// serverlessShims are the SYS views of Redshift Serverless over the same
// log, with the columns of the AWS pages SYS_SESSION_HISTORY (status
// 'active' while the session lives; ended sessions keep their rows:
// emul_ended_sessions), SYS_LOAD_HISTORY, SYS_LOAD_ERROR_DETAIL (no raw
// line) and SYS_LOAD_DETAIL.
const serverlessShims = `
CREATE TABLE emul_ended_sessions (session_id integer, start_time timestamp);
CREATE VIEW sys_session_history AS
  SELECT pid AS session_id, backend_start AT TIME ZONE 'UTC' AS start_time, CAST('active' AS char(10)) AS status
  FROM pg_stat_activity
  UNION ALL SELECT session_id, start_time, CAST('closed' AS char(10)) FROM emul_ended_sessions;
CREATE VIEW sys_load_history AS SELECT id AS query_id, session AS session_id, count AS loaded_rows FROM emul_copies;
CREATE VIEW sys_load_error_detail AS
  SELECT query AS query_id, session AS session_id, starttime AS start_time, CAST(filename AS char(256)) AS file_name,
         line_number, CAST(colname AS char(127)) AS column_name, CAST(err_reason AS char(512)) AS error_message
  FROM emul_load_errors;
CREATE VIEW sys_load_detail AS SELECT query AS query_id, CAST(filename AS char(256)) AS file_name, lines_scanned FROM emul_load_commits;
`

func installShims(t testing.TB, dsn string, serverless bool) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	shims := pgShims + provisionedShims
	if serverless {
		shims = pgShims + serverlessShims
	}
	if _, err := conn.Exec(ctx, shims); err != nil {
		t.Fatalf("install Redshift shims: %v", err)
	}
}

// fakeBucket is an in-process S3 on plain HTTP.
type fakeBucket struct {
	backend *s3mem.Backend
	url     string
	mu      sync.Mutex
	regions map[string]string // bucket -> the region HeadBucket reports
}

// setRegion makes HeadBucket of bucket answer with region in the
// x-amz-bucket-region header, as S3 does (gofakes3 sends none).
func (f *fakeBucket) setRegion(bucket, region string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.regions[bucket] = region
}

// withRegions wraps the S3 handler: a HeadBucket (HEAD /bucket, path
// style) of a bucket with a region gets the header.
func (f *fakeBucket) withRegions(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bucket := strings.Trim(r.URL.Path, "/"); r.Method == http.MethodHead && bucket != "" && !strings.Contains(bucket, "/") {
			f.mu.Lock()
			region := f.regions[bucket]
			f.mu.Unlock()
			if region != "" {
				w.Header().Set("x-amz-bucket-region", region)
			}
		}
		h.ServeHTTP(w, r)
	})
}

func newFakeBucket(t testing.TB, buckets ...string) *fakeBucket {
	missing := t.TempDir() + "/missing"
	for k, v := range map[string]string{"AWS_CONFIG_FILE": missing, "AWS_SHARED_CREDENTIALS_FILE": missing,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "", "AWS_PROFILE": ""} {
		t.Setenv(k, v)
	}
	b := s3mem.New()
	f := &fakeBucket{backend: b, regions: map[string]string{}}
	srv := httptest.NewServer(f.withRegions(gofakes3.New(b).Server()))
	t.Cleanup(srv.Close)
	for _, name := range buckets {
		if err := b.CreateBucket(name); err != nil {
			t.Fatal(err)
		}
	}
	f.url = srv.URL
	return f
}

func (f *fakeBucket) options() []s3.Option {
	return []s3.Option{s3.WithS3Options(func(o *awss3.Options) {
		o.BaseEndpoint = aws.String(f.url)
		o.UsePathStyle = true
	})}
}

func (f *fakeBucket) get(t testing.TB, uri string) []byte {
	bucket, key, err := s3.ParseURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := f.backend.GetObject(bucket, key, nil)
	if err != nil {
		panic(fmt.Sprintf("emulated COPY: %s: %v", uri, err))
	}
	defer obj.Contents.Close()
	b, _ := io.ReadAll(obj.Contents)
	return b
}

func (f *fakeBucket) put(t testing.TB, uri string, data []byte) {
	bucket, key, _ := s3.ParseURI(uri)
	if _, err := f.backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		t.Fatal(err)
	}
}

func (f *fakeBucket) del(t testing.TB, uri string) {
	bucket, key, _ := s3.ParseURI(uri)
	if _, err := f.backend.DeleteObject(bucket, key); err != nil {
		t.Fatal(err)
	}
}

// emulator is COPY ... FORMAT AS JSON ... MANIFEST, in Go.
type emulator struct {
	t      testing.TB
	s3     *fakeBucket
	dsn    string // the test schema, for the load log's own connection
	log    *pgx.Conn
	nextID atomic.Int64
	texts  []string // every COPY statement rendered, in order
	// unlogged makes COPYs of several files write no load-log rows
	// (stl_load_commits), as if the slices had not logged them yet.
	unlogged bool
	// fail makes every COPY fail with this error before it reads a line
	// (as a COPY that cannot read its manifest or assume its role does).
	fail error
}

// logError writes a row of the load-error log outside the COPY's transaction,
// as Redshift's system log keeps the rows of a COPY that was rolled back.
func (e *emulator) logError(ctx context.Context, vals ...any) error {
	if e.log == nil {
		c, err := pgx.Connect(ctx, e.dsn)
		if err != nil {
			return err
		}
		e.log = c
		e.t.Cleanup(func() { c.Close(context.Background()) })
	}
	_, err := e.log.Exec(ctx, `INSERT INTO emul_load_errors VALUES ($1, $2, clock_timestamp() AT TIME ZONE 'UTC', $3, $4, $5, $6, $7)`, vals...)
	return err
}

// column kinds of the raw tables.
var (
	eventKinds   = map[string]byte{"iteminsession": 'i', "length": 'f', "registration": 'f', "sessionid": 'i', "status": 'i', "ts": 'i'}
	eventNotNull = map[string]bool{"iteminsession": true, "level": true, "page": true, "sessionid": true, "ts": true, "userid": true}
	songColumns  = []string{"num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location", "artist_name", "song_id", "title", "duration", "year"}
	songKinds    = map[string]byte{"num_songs": 'i', "artist_latitude": 'f', "artist_longitude": 'f', "duration": 'f', "year": 'i'}
	songNotNull  = map[string]bool{"artist_id": true, "artist_name": true, "song_id": true, "title": true, "duration": true}
)

func (e *emulator) copy(ctx context.Context, conn *sql.Conn, c *Copy, text string) error {
	e.texts = append(e.texts, text)
	id := e.nextID.Add(1)
	var pid int
	if err := conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return err
	}
	var m Manifest
	if err := json.Unmarshal(e.s3.get(e.t, c.Manifest), &m); err != nil {
		return fmt.Errorf("emulated COPY: manifest: %w", err)
	}
	var loaded, errs int64
	abort := func() error {
		conn.ExecContext(ctx, "SELECT 1/0") // a failed COPY aborts the transaction
		return fmt.Errorf("emulated: Load into table '%s' failed. Check 'stl_load_errors' system table for details", c.Table)
	}
	if e.fail != nil {
		conn.ExecContext(ctx, "SELECT 1/0")
		return e.fail
	}
	for _, entry := range m.Entries {
		data := e.s3.get(e.t, entry.URL)
		if c.GZIP {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("emulated COPY: gzip %s: %w", entry.URL, err)
			}
			data, _ = io.ReadAll(zr)
		}
		records, lines := splitRecords(data, c.JSONPaths != "")
		for i, rec := range records {
			cols, vals, colErr, reason := e.fields(c, rec)
			if reason == "" {
				_, err := conn.ExecContext(ctx, insertHead(c.Table, cols)+valuesList(1, len(cols)), vals...)
				if err != nil {
					return fmt.Errorf("emulated COPY insert: %w", err)
				}
				loaded++
				continue
			}
			errs++
			if err := e.logError(ctx, id, pid, entry.URL, lines[i], colErr, reason, string(rec)); err != nil {
				return err
			}
			if errs > c.MaxError {
				return abort() // COPY stops at the first bad line past MAXERROR
			}
		}
		if e.unlogged && len(m.Entries) > 1 {
			continue
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO emul_load_commits VALUES ($1, $2, $3)`, id, entry.URL, len(records)); err != nil {
			return err
		}
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO emul_copies VALUES ($1, $2, $3)`, id, pid, loaded)
	return err
}

// fields maps one JSON record to the raw table's columns, or says why
// COPY would reject it.
func (e *emulator) fields(c *Copy, rec []byte) (cols []string, vals []any, col, reason string) {
	dec := json.NewDecoder(bytes.NewReader(rec))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, nil, "", "Invalid JSONPath format: Member is not an object. (emulated)"
	}
	kinds, notNull, names := songKinds, songNotNull, songColumns
	get := func(col string) any {
		for k, v := range obj {
			if strings.EqualFold(k, col) {
				return v
			}
		}
		return nil
	}
	if c.JSONPaths != "" {
		kinds, notNull, names = eventKinds, eventNotNull, EventColumns()
		get = func(col string) any {
			for _, p := range eventPaths {
				if p.Column == col {
					return obj[strings.TrimSuffix(strings.TrimPrefix(p.Path, "$['"), "']")]
				}
			}
			return nil
		}
	}
	for _, name := range names {
		v := get(name)
		if v == nil {
			if notNull[name] {
				return nil, nil, name, "Missing data for not-null field (emulated)"
			}
			cols, vals = append(cols, name), append(vals, nil)
			continue
		}
		switch kinds[name] {
		case 'i', 'f':
			n, ok := v.(json.Number)
			if !ok {
				return nil, nil, name, "Invalid digit, Value '\"', Pos 0, Type: Long (emulated)"
			}
			if kinds[name] == 'i' {
				i, err := n.Int64()
				if err != nil {
					return nil, nil, name, "Invalid digit (emulated)"
				}
				v = i
			} else {
				f, _ := n.Float64()
				v = f
			}
		default:
			text := fmt.Sprint(v)
			// VARCHAR(n) counts bytes on Redshift (PostgreSQL counts
			// characters): a longer value is a rejected line.
			if w := rawWidths[name]; w > 0 && len(text) > w {
				return nil, nil, name, fmt.Sprintf("String length exceeds DDL length (emulated: %d bytes > %d)", len(text), w)
			}
			v = text
		}
		cols, vals = append(cols, name), append(vals, v)
	}
	return cols, vals, "", ""
}

// rawWidths are the byte widths of the raw tables' VARCHAR columns, as the
// Redshift statements declare them (the two raw tables share no column
// name, so one map serves both).
var rawWidths = func() map[string]int {
	w := map[string]int{}
	set := Statements()
	for _, block := range []string{"copy_events_begin", "copy_songs_begin"} {
		text, _ := set.Text(block)
		for _, m := range varcharColumn.FindAllStringSubmatch(text, -1) {
			n, _ := strconv.Atoi(m[2])
			w[m[1]] = n
		}
	}
	return w
}()

var varcharColumn = regexp.MustCompile(`(?m)^\s*(\w+)\s+VARCHAR\((\d+)\)`)

// splitRecords cuts a file into records and the line each starts on: one
// a line for the logs (JSON lines), a stream of values for the song files.
func splitRecords(data []byte, byLine bool) ([][]byte, []int64) {
	var recs [][]byte
	var lines []int64
	if byLine {
		for i, l := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				recs, lines = append(recs, l), append(lines, int64(i+1))
			}
		}
		return recs, lines
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var raw json.RawMessage
		off := dec.InputOffset()
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return append(recs, data[off:]), append(lines, int64(bytes.Count(data[:off], []byte("\n"))+1))
		}
		recs = append(recs, raw)
		lines = append(lines, int64(bytes.Count(data[:off], []byte("\n"))+1))
	}
	return recs, lines
}

var _ fs.FS = fstest.MapFS{}
