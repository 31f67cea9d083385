// Package warehousetest is the contract every warehouse engine must meet:
// sessions, locks, schema, and the load semantics on the real sample,
// checked against an oracle computed from the raw files. Each engine's
// test calls Run in one line.
package warehousetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// Opener opens a fresh, empty warehouse for one test; the test closes it.
type Opener func(t testing.TB) warehouse.Warehouse

// Run runs the whole contract suite against one engine.
func Run(t *testing.T, open Opener) { RunExcept(t, open, nil) }

// RunExcept runs the suite but for the cases named in except, each
// reported as skipped with its reason: for an engine that cannot meet a
// case by design (documented where the engine is), never to hide a bug.
func RunExcept(t *testing.T, open Opener, except map[string]string) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if why, ok := except[c.name]; ok {
				t.Skip(why)
			}
			c.run(t, open)
		})
	}
	for name := range except {
		if !slices.ContainsFunc(cases, func(c suiteCase) bool { return c.name == name }) {
			t.Errorf("RunExcept: no case %q to skip", name)
		}
	}
}

type suiteCase struct {
	name string
	run  func(*testing.T, Opener)
}

var cases = []suiteCase{
	{"SessionCopyAndRollback", testCopyRollback},
	{"Lock", testLock},
	{"SchemaIdempotentAndReset", testSchema},
	{"SampleSemantics", testSampleSemantics},
	{"IncrementalEqualsFullLoad", testIncremental},
	{"OneMoreDay", testOneMoreDay},
	{"Backfill", testBackfill},
	{"ChangedFileIsReplaced", testChangedFile},
	{"FailedLoadKeepsPreviousState", testFailedLoad},
	{"RejectsOverLimit", testRejects},
	{"ConflictingSongFiles", testConflictingSongs},
	{"ConflictingEvents", testConflictingEvents},
	{"ConflictingSongsAcrossLoads", testConflictingSongsAcrossLoads},
	{"ChangedSongFileIsReplaced", testChangedSongFile},
	{"SchemaDrift", testSchemaDrift},
	{"NamedQueries", testNamedQueries},
	{"CatalogQueriesFixture", testCatalogQueries},
	{"UserLevelTiesAnyFileOrder", testUserLevelTies},
	{"MatchOnSongsOwnArtistName", testMatchOwnArtistName},
	{"DuplicateEventsPickByContent", testDuplicateEventsPickByContent},
	{"LongMultibyteValues", testLongMultibyteValues},
	{"SessionSplitAcrossFiles", testSessionSplitAcrossFiles},
	{"CancellationInLaterLoad", testCancellationInLaterLoad},
	{"GeneratedActivity", testGeneratedActivity},
	{"SessionsMigration", testSessionsMigration},
}

func openT(t *testing.T, open Opener) warehouse.Warehouse {
	wh := open(t)
	t.Cleanup(func() { wh.Close() })
	return wh
}

func migrate(t *testing.T, wh warehouse.Warehouse) {
	t.Helper()
	ctx := context.Background()
	sess, err := wh.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := pipeline.Migrate(ctx, sess, wh.SQL()); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, q warehouse.Querier, query string, args ...any) int64 {
	t.Helper()
	res, err := warehouse.Query(context.Background(), q, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	switch v := res.Rows[0][0].(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	}
	t.Fatalf("%s: unexpected %T", query, res.Rows[0][0])
	return 0
}

func testCopyRollback(t *testing.T, open Opener) {
	wh := openT(t, open)
	migrate(t, wh)
	ctx := context.Background()
	sess, err := wh.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	rows := [][]any{{int64(1), "log", "a.json", int64(0), "v", "f", int64(1), int64(1), int64(0), int64(1)}}
	cols := []string{"file_id", "kind", "uri", "size", "version", "fingerprint", "lines", "loaded", "rejected", "load_id"}
	if err := sess.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := sess.CopyFrom(ctx, "sparkify_files", cols, &warehouse.SliceSource{Rows: rows}); err != nil || n != 1 {
		t.Fatalf("copy: %d %v", n, err)
	}
	if err := sess.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM sparkify_files"); n != 0 {
		t.Fatalf("rolled-back copy left %d rows", n)
	}
	sess.Begin(ctx)
	sess.CopyFrom(ctx, "sparkify_files", cols, &warehouse.SliceSource{Rows: rows})
	if err := sess.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM sparkify_files"); n != 1 {
		t.Fatalf("committed copy: %d rows, want 1", n)
	}
}

func testLock(t *testing.T, open Opener) {
	wh := openT(t, open)
	ctx := context.Background()
	a, err := wh.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := wh.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.Lock(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := b.Lock(ctx, false); !errors.Is(err, warehouse.ErrLocked) {
		t.Fatalf("second lock: err = %v, want ErrLocked", err)
	}
	a.Close()
	if err := b.Lock(ctx, false); err != nil {
		t.Fatalf("lock after release: %v", err)
	}
}

func testSchema(t *testing.T, open Opener) {
	wh := openT(t, open)
	ctx := context.Background()
	sess, err := wh.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	applied, err := pipeline.Migrate(ctx, sess, wh.SQL())
	if err != nil || len(applied) != pipeline.MigrationCount(wh.SQL()) {
		t.Fatalf("first migrate: %v %v", applied, err)
	}
	if applied, err := pipeline.Migrate(ctx, sess, wh.SQL()); err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %v, %v; want nothing", applied, err)
	}
	data := CopySample(t, 1)
	Load(t, wh, data)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM songplays"); n == 0 {
		t.Fatal("no songplays after a load")
	}
	if err := pipeline.Reset(ctx, sess, wh.SQL()); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"songplays", "staging_events", "sparkify_runs", "sparkify_files"} {
		if n := count(t, wh.DB(), "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("after reset %s has %d rows", table, n)
		}
	}
}
