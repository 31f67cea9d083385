package redshift

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/source/s3"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// rig is the Redshift driver on PostgreSQL with an emulated COPY (see
// emulator_test.go for exactly what is real and what is not).
type rig struct {
	t   *testing.T
	s3  *fakeBucket
	emu *emulator
	dsn string
	cfg *config.Config
	set *sqlset.Set // Statements or ServerlessStatements
	// serverless: the rig has the SYS views only (no STL or STV tables)
	serverless bool
}

func newRig(t *testing.T) *rig { return newRigOf(t, false) }

// newServerlessRig is a rig of Redshift Serverless: the SYS views only, no
// STL or STV tables, and the driver's Serverless statements.
func newServerlessRig(t *testing.T) *rig { return newRigOf(t, true) }

// onEachDeployment runs a test on a provisioned cluster's rig and on a
// Serverless one: the same guarantees, read from the STL/STV tables or from
// the SYS views.
func onEachDeployment(t *testing.T, test func(*testing.T, *rig)) {
	t.Run("provisioned", func(t *testing.T) { test(t, newRig(t)) })
	t.Run("serverless", func(t *testing.T) { test(t, newServerlessRig(t)) })
}

func newRigOf(t *testing.T, serverless bool) *rig {
	dsn := testutil.Postgres(t)
	installShims(t, dsn, serverless)
	fb := newFakeBucket(t, "stage", "udacity")
	set := Statements()
	if serverless {
		set = ServerlessStatements()
	}
	return &rig{t: t, s3: fb, emu: &emulator{t: t, s3: fb, dsn: dsn}, dsn: dsn, set: set, serverless: serverless, cfg: &config.Config{
		Stage:   "s3://stage/dwh",
		IAMRole: config.IAMRole{ARN: "arn:aws:iam::123456789012:role/sparkify-redshift-s3-read"},
		AWS:     config.AWS{Key: "AKIATEST", Secret: "secret", Region: "us-west-2"},
	}}
}

func (r *rig) open(readOnly bool) *Warehouse {
	w, err := open(context.Background(), "redshift://sparkify@localhost:5439/test", r.dsn,
		warehouse.Options{Config: r.cfg, ReadOnly: readOnly}, pgStatements(r.t, r.set),
		hooks{s3Options: r.s3.options(), copy: r.emu.copy})
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { w.Close() })
	return w
}

// opener adapts the rig to warehousetest helpers.
func (r *rig) opener(testing.TB) warehouse.Warehouse { return r.open(false) }

func duckStar(t testing.TB, data warehousetest.Data) map[string][]string {
	wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	warehousetest.Load(t, wh, data)
	return warehousetest.DumpStar(t, wh.DB())
}

func sameStar(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	if d := warehousetest.DiffStar(got, want); len(d) > 0 {
		t.Fatalf("%s differs from DuckDB's:\n%s", what, strings.Join(d, "\n"))
	}
	if len(want["songplays"]) == 0 || len(want["time"]) == 0 {
		t.Fatalf("%s: empty star", what)
	}
}

// TestOnPostgresLocalFoldersEqualDuckDB uploads local folders to the stage,
// COPYs them and builds the star: the same rows as DuckDB's load.
func TestOnPostgresLocalFoldersEqualDuckDB(t *testing.T) {
	r := newRig(t)
	data := warehousetest.CopySample(t, 0)
	w := r.open(false)
	res := warehousetest.Load(t, w, data)
	sameStar(t, "Redshift (emulated COPY) from local folders", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))

	o := warehousetest.NewOracle(t, data.Songs, data.Logs)
	if s := res.Source("log"); s.LinesLoaded != int64(o.Events) || s.LinesRejected != 0 || s.LinesRead != int64(o.Events) {
		t.Errorf("log counts %+v, want %d events loaded", s, o.Events)
	}
	var fps int64
	w.DB().QueryRow("SELECT COUNT(*) FROM sparkify_files WHERE fingerprint LIKE 'xxh3:%'").Scan(&fps)
	if fps != int64(res.FilesLoaded()) {
		t.Errorf("%d of %d files have a content fingerprint", fps, res.FilesLoaded())
	}
	logs := warehousetest.LogFiles(t, data.Logs)
	rel, _ := filepath.Rel(data.Logs, logs[0])
	if got := r.s3.get(t, "s3://stage/dwh/sparkify/load-1/files/log/"+filepath.ToSlash(rel)); !bytes.Equal(got, must(os.ReadFile(logs[0]))) {
		t.Errorf("the uploaded copy of %s differs from the file", rel)
	}
	checkEventIDs(t, w)
	if again := warehousetest.Load(t, w, data); again.Status != pipeline.StatusNoop {
		t.Errorf("a rerun copied again: %+v", again.Sources)
	}
}

// checkEventIDs proves the SQL event_id and start_time equal record.EventID
// and the Go decoder's StartTime for every staged event.
func checkEventIDs(t *testing.T, w *Warehouse) {
	rows, err := w.DB().Query("SELECT event_id, ts, userid, sessionid, iteminsession, start_time FROM staging_events")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, ts, sess, item int64
		var user string
		var start time.Time
		if err := rows.Scan(&id, &ts, &user, &sess, &item, &start); err != nil {
			t.Fatal(err)
		}
		if want := record.EventID(ts, user, sess, item); id != want {
			t.Fatalf("event (%d, %q, %d, %d): SQL id %d, Go %d", ts, user, sess, item, id, want)
		}
		if !start.Equal(time.UnixMilli(ts).UTC()) {
			t.Fatalf("ts %d: SQL start_time %s, want %s", ts, start.UTC().Format(time.RFC3339Nano), time.UnixMilli(ts).UTC().Format(time.RFC3339Nano))
		}
		n++
	}
	if n == 0 {
		t.Fatal("no staged events")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestOnPostgresIncrementalAndChangedFile loads day by day, then changes a
// log file: every state equals DuckDB's full load of the same files.
func TestOnPostgresIncrementalAndChangedFile(t *testing.T) {
	r := newRig(t)
	data := warehousetest.CopySample(t, 3)
	w := r.open(false)
	warehousetest.Load(t, w, data)
	warehousetest.AddSampleDay(t, data, 4)
	res := warehousetest.Load(t, w, data)
	if res.Source("log").FilesNew != 1 {
		t.Errorf("day 4: %+v", res.Source("log"))
	}
	sameStar(t, "after one more day", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))

	f := warehousetest.LogFiles(t, data.Logs)[1]
	old := must(os.ReadFile(f))
	lines := bytes.Split(bytes.TrimSpace(old), []byte("\n"))
	edited := bytes.ReplaceAll(bytes.Join(lines[:len(lines)/2], []byte("\n")), []byte(`"level":"free"`), []byte(`"level":"paid"`))
	os.WriteFile(f, edited, 0o644)
	future := time.Now().Add(time.Hour)
	os.Chtimes(f, future, future)
	res = warehousetest.Load(t, w, data)
	if res.Source("log").FilesChanged != 1 {
		t.Errorf("changed file: %+v", res.Source("log"))
	}
	sameStar(t, "after a changed log file", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
}

// TestOnPostgresFromS3 COPYs straight from the source bucket (gzip logs);
// only the manifests and the JSONPaths document go to the stage.
func TestOnPostgresFromS3(t *testing.T) {
	r := newRig(t)
	data := warehousetest.CopySample(t, 2)
	upload := func(dir, prefix string, gz bool) {
		filepathWalk(t, dir, func(rel string, b []byte) {
			uri := "s3://udacity/" + prefix + "/" + rel
			if gz {
				b, uri = gzipBytes(t, b), uri+".gz"
			}
			r.s3.put(t, uri, b)
		})
	}
	upload(data.Songs, "song_data", false)
	upload(data.Logs, "log_data", true)
	w := r.open(false)
	if _, err := pipeline.Run(context.Background(), w, r.s3Sources(t)); err != nil {
		t.Fatal(err)
	}
	sameStar(t, "Redshift (emulated COPY) from S3", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
	for _, text := range r.emu.texts {
		if strings.Contains(text, "tmp_copy_events") && !strings.Contains(text, "\nGZIP") {
			t.Errorf("a COPY of gzip logs without GZIP:\n%s", text)
		}
	}
	golden(t, "load_copies.sql", strings.Join(r.emu.texts, ";\n\n")+";\n")
}

// TestOnPostgresRejects puts bad lines in a log: COPY's rejects (with file
// and line) and the SQL validation's come back as sparkify rejects; over
// --max-rejects the load fails and only its run and rejects are recorded.
func TestOnPostgresRejects(t *testing.T) { onEachDeployment(t, testRejects) }

func testRejects(t *testing.T, r *rig) {
	data := warehousetest.CopySample(t, 1)
	bad := filepath.Join(data.Logs, "2018", "11", "2018-11-99-events.json")
	good := `{"artist":null,"auth":"Logged In","firstName":"A","gender":"F","itemInSession":0,"lastName":"B","length":null,"level":"free","location":null,"method":"GET","page":"Home","registration":null,"sessionId":1,"song":null,"status":200,"ts":1541105830796,"userAgent":null,"userId":"999"}`
	noSong := `{"artist":"X","itemInSession":1,"length":1.5,"level":"free","page":"NextSong","sessionId":1,"song":null,"ts":1541105830797,"userId":"999"}`
	os.WriteFile(bad, []byte(good+"\n{not json\n"+`{"ts":"soon"}`+"\n"+noSong+"\n"), 0o644)

	w := r.open(false)
	// Two lines COPY rejects, more than --max-rejects 0 allows: the COPY stops.
	_, err := warehousetest.TryLoad(t, w, data)
	if err == nil || !strings.Contains(err.Error(), "MAXERROR 1") || !strings.Contains(err.Error(), "--max-rejects") || !strings.Contains(err.Error(), bad) {
		t.Fatalf("err = %v, want a COPY stopped by MAXERROR naming the file", err)
	}
	// Within MAXERROR but over --max-rejects with the validation's reject:
	// the load fails and records all three with file, line and reason.
	failed, err := warehousetest.TryLoad(t, w, data, func(o *pipeline.Options) { o.MaxRejects = 2 })
	if !errors.Is(err, pipeline.ErrTooManyRejects) {
		t.Fatalf("err = %v, want ErrTooManyRejects", err)
	}
	rej := warehousetest.Dump(t, w.DB(), fmt.Sprintf(`SELECT uri, line_no, reason FROM sparkify_rejects WHERE load_id = %d ORDER BY line_no`, failed.LoadID))
	if len(rej) != 3 || !strings.HasPrefix(rej[0], bad+"|0|field song: missing on a NextSong event") ||
		!strings.HasPrefix(rej[1], bad+"|2|") || !strings.HasPrefix(rej[2], bad+"|3|column ") {
		t.Errorf("rejects = %q", rej)
	}
	var songplays int64
	w.DB().QueryRow("SELECT COUNT(*) FROM songplays").Scan(&songplays)
	if songplays != 0 {
		t.Errorf("a failed load committed %d songplays", songplays)
	}
	res := warehousetest.Load(t, w, data, func(o *pipeline.Options) { o.MaxRejects = 3 })
	if s := res.Source("log"); s.LinesRejected != 3 || s.LinesLoaded == 0 || s.LinesRead != s.LinesLoaded+3 {
		t.Errorf("within the limit: %+v", s)
	}
}

// TestOnPostgresRejectsOfAbortedCopy: log files with more bad lines than
// MAXERROR stop their COPY and abort the load's transaction; the failed
// run is still recorded with the lines Redshift logged for that COPY (read
// back from stl_load_errors), the bad lines COPY did not reach (found by
// sparkify's decoder) and the rejects of the load's earlier COPYs, each
// with its file, line and reason, as the other engines record a failed
// load's rejects.
func TestOnPostgresRejectsOfAbortedCopy(t *testing.T) { onEachDeployment(t, testRejectsOfAbortedCopy) }

func testRejectsOfAbortedCopy(t *testing.T, r *rig) {
	data := warehousetest.CopySample(t, 1)
	good := `{"artist":null,"auth":"Logged In","firstName":"A","gender":"F","itemInSession":0,"lastName":"B","length":null,"level":"free","location":null,"method":"GET","page":"Home","registration":null,"sessionId":1,"song":null,"status":200,"ts":1541105830796,"userAgent":null,"userId":"999"}`
	// One bad line in the first file, three in the next. The two share the
	// load's COPY of log files, with MAXERROR 2 (--max-rejects 1, plus
	// one): it stops at the third bad line, line 3 of the second file.
	first := filepath.Join(data.Logs, "2018", "11", "2018-11-98-events.json")
	os.WriteFile(first, []byte(good+"\n{not json\n"), 0o644)
	second := filepath.Join(data.Logs, "2018", "11", "2018-11-99-events.json")
	os.WriteFile(second, []byte(good+"\n{not json\n"+`{"ts":"soon"}`+"\n[1]\n"+good+"\n"), 0o644)

	w := r.open(false)
	res, err := warehousetest.TryLoad(t, w, data, func(o *pipeline.Options) { o.MaxRejects = 1 })
	if err == nil || !strings.Contains(err.Error(), "MAXERROR 2") || !strings.Contains(err.Error(), second+" line 3") {
		t.Fatalf("err = %v, want the COPY stopped by MAXERROR 2 at %s line 3", err, second)
	}
	if !errors.Is(err, pipeline.ErrTooManyRejects) {
		t.Errorf("err = %v, want it to wrap ErrTooManyRejects (watch does not retry those; the exit code tells them apart)", err)
	}
	if res.Status != pipeline.StatusFailed || res.LoadID == 0 {
		t.Fatalf("result %+v, want a failed load", res)
	}
	rej := warehousetest.Dump(t, w.DB(), `SELECT load_id, kind, uri, line_no, reason FROM sparkify_rejects ORDER BY uri, line_no`)
	want := []string{
		fmt.Sprintf("%d|log|%s|2|", res.LoadID, first),
		fmt.Sprintf("%d|log|%s|2|", res.LoadID, second),
		fmt.Sprintf("%d|log|%s|3|column ", res.LoadID, second),
		// COPY stopped at line 3: sparkify's own decoder, which read the
		// file as it uploaded it, names the bad line after it.
		fmt.Sprintf("%d|log|%s|4|not a JSON object: got an array (found by sparkify's decoder", res.LoadID, second),
	}
	if len(rej) != len(want) {
		t.Fatalf("rejects = %q, want %d rows like %q", rej, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(rej[i], want[i]) || strings.HasSuffix(rej[i], "|") {
			t.Errorf("reject %d = %q, want %q and a reason", i, rej[i], want[i])
		}
	}
	runs := warehousetest.Dump(t, w.DB(), `SELECT load_id, status, lines_rejected FROM sparkify_runs`)
	if len(runs) != 1 || runs[0] != fmt.Sprintf("%d|failed|4", res.LoadID) {
		t.Errorf("runs = %q, want the failed load with its 4 rejected lines", runs)
	}
	for _, table := range []string{"songplays", "staging_events", "sparkify_files"} {
		var n int64
		w.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n)
		if n != 0 {
			t.Errorf("the failed load left %d rows in %s", n, table)
		}
	}
	// The next load's COPYs know nothing of the aborted one.
	ok := warehousetest.Load(t, w, data, func(o *pipeline.Options) { o.MaxRejects = 10 })
	if n := len(warehousetest.Dump(t, w.DB(), fmt.Sprintf(`SELECT line_no FROM sparkify_rejects WHERE load_id = %d`, ok.LoadID))); n != 4 {
		t.Errorf("the next load recorded %d rejects, want 4", n)
	}
}

// TestOnPostgresCopyFailsForAnotherReason: a COPY that fails before it
// rejects anything (say, its role cannot read the bucket) is not reported
// as too many rejected lines.
func TestOnPostgresCopyFailsForAnotherReason(t *testing.T) {
	r := newRig(t)
	r.emu.fail = errors.New("emulated: S3ServiceException: Access Denied")
	data := warehousetest.CopySample(t, 1)
	w := r.open(false)
	_, err := warehousetest.TryLoad(t, w, data)
	if err == nil || !strings.Contains(err.Error(), "Access Denied") {
		t.Fatalf("err = %v, want COPY's own error", err)
	}
	if errors.Is(err, pipeline.ErrTooManyRejects) || strings.Contains(err.Error(), "MAXERROR") {
		t.Errorf("err = %v: a COPY that rejected nothing was reported as over MAXERROR", err)
	}
}

func TestOnPostgresLock(t *testing.T) { onEachDeployment(t, testLock) }

func testLock(t *testing.T, r *rig) {
	w := r.open(false)
	ctx := context.Background()
	a, err := w.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.Lock(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := b.Lock(ctx, false); !errors.Is(err, warehouse.ErrLocked) {
		t.Fatalf("second lock: %v, want ErrLocked", err)
	}
	a.Close()
	if err := b.Lock(ctx, false); err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	b.Close()
	// A holder whose session is gone: its row is stale and taken over.
	r.endedSession(2147483000, "2026-01-02 03:04:05")
	if _, err := w.DB().Exec("INSERT INTO sparkify_lock VALUES (2147483000, '2026-01-02 03:04:05', now())"); err != nil {
		t.Fatal(err)
	}
	c, _ := w.Session(ctx)
	defer c.Close()
	if err := c.Lock(ctx, false); err != nil {
		t.Fatalf("a dead holder's lock was not taken over: %v", err)
	}
}

// TestOnPostgresReadOnly: opened read-only, queries work, writes fail, and
// no load can start.
func TestOnPostgresReadOnly(t *testing.T) {
	r := newRig(t)
	r.migrated()
	ro := r.open(true)
	var n int64
	if err := ro.DB().QueryRow("SELECT COUNT(*) FROM songplays").Scan(&n); err != nil {
		t.Fatalf("read: %v", err)
	}
	for _, stmt := range []string{"DELETE FROM songplays", "CREATE TABLE x (a INTEGER)", "INSERT INTO users (user_id) VALUES ('1')"} {
		if _, err := ro.DB().Exec(stmt); err == nil {
			t.Errorf("%s succeeded on a read-only warehouse", stmt)
		}
		rows, err := ro.DB().Query(stmt)
		if err == nil {
			rows.Close()
			t.Errorf("%s (as a query) succeeded on a read-only warehouse", stmt)
		}
	}
	if err := ro.DB().QueryRow("SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != 0 {
		t.Errorf("after refused writes: %d users, %v", n, err)
	}
	if _, err := ro.Session(context.Background()); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Session on a read-only warehouse: %v", err)
	}
}

// endedSession makes a session that ended: on Serverless it stays in
// SYS_SESSION_HISTORY as 'closed' (a provisioned cluster's stv_sessions
// lists live sessions only, so there is nothing to add).
func (r *rig) endedSession(id int, start string) {
	if !r.serverless {
		return
	}
	if _, err := r.open(false).DB().Exec("INSERT INTO emul_ended_sessions VALUES ($1, $2)", id, start); err != nil {
		r.t.Fatal(err)
	}
}

// migrated opens the rig read-write and creates the schema.
func (r *rig) migrated() *Warehouse {
	rw := r.open(false)
	sess, err := rw.Session(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	defer sess.Close()
	if _, err := pipeline.Migrate(context.Background(), sess, rw.SQL()); err != nil {
		r.t.Fatal(err)
	}
	return rw
}

// putTree uploads a local folder to the rig's S3, under s3://udacity/PREFIX/.
func (r *rig) putTree(t *testing.T, dir, prefix string) {
	filepathWalk(t, dir, func(rel string, b []byte) { r.s3.put(t, "s3://udacity/"+prefix+"/"+rel, b) })
}

// s3Sources are load options that read s3://udacity/song_data and
// s3://udacity/log_data from the rig's S3.
func (r *rig) s3Sources(t *testing.T) pipeline.Options {
	src := func(uri string) *s3.Bucket {
		b, err := s3.New(context.Background(), uri, r.cfg, r.s3.options()...)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return pipeline.Options{Songs: src("s3://udacity/song_data"), Logs: src("s3://udacity/log_data")}
}

func filepathWalk(t *testing.T, dir string, fn func(rel string, data []byte)) {
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fn(filepath.ToSlash(rel), must(os.ReadFile(p)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestOnPostgresNamedLock: watch's lock is one holder's at a time, apart
// from the load lock, given up on Close, and taken over from a dead holder.
func TestOnPostgresNamedLock(t *testing.T) { onEachDeployment(t, testNamedLock) }

func testNamedLock(t *testing.T, r *rig) {
	w := r.open(false)
	ctx := context.Background()
	open := func() *Session {
		s, err := w.Session(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s.(*Session)
	}
	a, b := open(), open()
	if err := a.LockNamed(ctx, "watch"); err != nil {
		t.Fatal(err)
	}
	if err := b.LockNamed(ctx, "watch"); !errors.Is(err, warehouse.ErrLocked) {
		t.Fatalf("second watch lock: %v, want ErrLocked", err)
	}
	if err := b.LockNamed(ctx, "other"); err != nil {
		t.Fatalf("a lock of another name: %v", err)
	}
	if err := b.Lock(ctx, false); err != nil {
		t.Fatalf("the load lock beside a watch lock: %v", err)
	}
	a.Close()
	if err := b.LockNamed(ctx, "watch"); err != nil {
		t.Fatalf("watch lock after its holder closed: %v", err)
	}
	b.Close()
	// A holder whose session is gone: its row is stale and taken over.
	r.endedSession(2147483000, "2026-01-02 03:04:05")
	if _, err := w.DB().Exec("INSERT INTO sparkify_named_lock VALUES ('watch', 2147483000, '2026-01-02 03:04:05', now())"); err != nil {
		t.Fatal(err)
	}
	if err := open().LockNamed(ctx, "watch"); err != nil {
		t.Fatalf("a dead holder's watch lock was not taken over: %v", err)
	}
}
