package reliability

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source/local"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// hostileWorkers is how many cases load at once.
const hostileWorkers = 4

// maxReason bounds a reject's reason: a sentence, not a dump.
const maxReason = 300

// minHostileCases is the least number of hostile-input cases the issue asks for.
const minHostileCases = 30

// hfile is one input file of a hostile case.
type hfile struct {
	kind string // pipeline.KindSong or pipeline.KindLog
	path string // relative to the kind's folder
	data string
}

// wantReject is a line the load must reject: the reason must contain
// reason (case-insensitive).
type wantReject struct {
	kind, path string
	line       int64
	reason     string
}

// hcase is one hostile-input case: files in, what must be loaded and
// rejected out.
type hcase struct {
	name  string
	files []hfile
	// setup makes what files cannot say: folders, symlinks, ...
	setup func(t *testing.T, songs, logs string)
	// songs and logs are the lines that must load from each source.
	songs, logs int64
	rejects     []wantReject
	// skipped are listing keys the load must skip (not files).
	skipped []string
	// check makes further assertions on the loaded warehouse.
	check func(t *testing.T, r *caseRun)
}

// caseRun is a finished load of a hostile case.
type caseRun struct {
	wh          warehouse.Warehouse
	res         *pipeline.Result
	songs, logs string // the sources' folders
}

func logf(path string, data string) hfile  { return hfile{pipeline.KindLog, path, data} }
func songf(path string, data string) hfile { return hfile{pipeline.KindSong, path, data} }
func rjLog(path string, line int64, reason string) wantReject {
	return wantReject{pipeline.KindLog, path, line, reason}
}
func rjSong(path string, line int64, reason string) wantReject {
	return wantReject{pipeline.KindSong, path, line, reason}
}

// TestHostileInput loads every hostile case into a fresh warehouse of each
// engine and checks that nothing crashes, the good lines load, every bad
// line is rejected with file, line and reason, and that per source lines
// read = loaded + rejected.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	cases := hostileCases(t)
	for _, e := range allEngines {
		var ran atomic.Int64
		t.Run(e.name, func(t *testing.T) {
			// Subtests run from a few goroutines of our own: most of a case's
			// time is spent waiting on the engine, more than -parallel allows.
			work := make(chan hcase)
			var wg sync.WaitGroup
			for range hostileWorkers {
				wg.Go(func() {
					for c := range work {
						t.Run(c.name, func(t *testing.T) {
							runHostile(t, e.hostileDSN(t), c)
							ran.Add(1)
						})
					}
				})
			}
			for _, c := range cases {
				work <- c
			}
			close(work)
			wg.Wait()
		})
		report(t, "hostile input: %d cases on %s, %d of them passed through to the end", len(cases), e.name, ran.Load())
		if !t.Failed() && !subtestsFiltered() && ran.Load() < minHostileCases {
			t.Errorf("%s: only %d hostile-input cases ran, want at least %d", e.name, ran.Load(), minHostileCases)
		}
	}
}

// subtestsFiltered reports whether -run picks subtests, so fewer cases run
// on purpose.
func subtestsFiltered() bool {
	f := flag.Lookup("test.run")
	return f != nil && strings.Contains(f.Value.String(), "/")
}

func runHostile(t *testing.T, dsn string, c hcase) {
	dir := t.TempDir()
	songs, logs := filepath.Join(dir, "songs"), filepath.Join(dir, "logs")
	for _, d := range []string{songs, logs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range c.files {
		root := logs
		if f.kind == pipeline.KindSong {
			root = songs
		}
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if c.setup != nil {
		c.setup(t, songs, logs)
	}
	wh := openWarehouse(t, dsn)
	ss, err := local.New(songs)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := local.New(logs)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(context.Background(), wh, pipeline.Options{Songs: ss, Logs: ls, MaxRejects: 1 << 40, Workers: 2})
	if err != nil {
		t.Fatalf("load failed: %v", err)
	}
	for _, s := range res.Sources {
		if s.LinesRead != s.LinesLoaded+s.LinesRejected {
			t.Errorf("%s: lines read %d != loaded %d + rejected %d", s.Kind, s.LinesRead, s.LinesLoaded, s.LinesRejected)
		}
	}
	checkCounts(t, wh, res, pipeline.KindSong, "staging_songs", c.songs, c.rejects)
	checkCounts(t, wh, res, pipeline.KindLog, "staging_events", c.logs, c.rejects)
	checkRejects(t, wh, c.rejects)
	for _, key := range c.skipped {
		found := false
		for _, s := range res.Skipped {
			found = found || s.Key == key && s.Reason != ""
		}
		if !found {
			t.Errorf("%s was not reported as skipped (skipped: %+v)", key, res.Skipped)
		}
	}
	if c.check != nil {
		c.check(t, &caseRun{wh: wh, res: res, songs: songs, logs: logs})
	}
}

// checkCounts compares one source's loaded and rejected lines, in the run
// result and in the warehouse, with the case's.
func checkCounts(t *testing.T, wh warehouse.Warehouse, res *pipeline.Result, kind, table string, loaded int64, rejects []wantReject) {
	t.Helper()
	var rejected int64
	for _, r := range rejects {
		if r.kind == kind {
			rejected++
		}
	}
	var gotLoaded, gotRejected int64
	if s := res.Source(kind); s != nil {
		gotLoaded, gotRejected = s.LinesLoaded, s.LinesRejected
	}
	if gotLoaded != loaded || gotRejected != rejected {
		t.Errorf("%s: result says %d loaded, %d rejected; want %d, %d", kind, gotLoaded, gotRejected, loaded, rejected)
	}
	if n := queryInt(t, wh.DB(), "SELECT COUNT(*) FROM "+table); n != loaded {
		t.Errorf("%s holds %d rows, want %d", table, n, loaded)
	}
}

// checkRejects matches sparkify_rejects one to one with the wanted rejects.
func checkRejects(t *testing.T, wh warehouse.Warehouse, want []wantReject) {
	t.Helper()
	res, err := warehouse.Query(context.Background(), wh.DB(),
		"SELECT kind, uri, line_no, reason, raw FROM sparkify_rejects ORDER BY kind, uri, line_no")
	if err != nil {
		t.Fatal(err)
	}
	used := make([]bool, len(want))
	var unexpected []string
	for _, row := range res.Rows {
		kind, uri, line, reason, raw := canon(row[0]), canon(row[1]), canon(row[2]), canon(row[3]), canon(row[4])
		if reason == "" || reason == "NULL" || uri == "" || line == "NULL" {
			t.Errorf("reject without file, line or reason: %v", row)
		}
		if len(reason) > maxReason {
			t.Errorf("reject %s:%s has a %d-byte reason, want a sentence: %q", filepath.Base(uri), line, len(reason), short(reason))
		}
		if len(raw) > 1024+3*4 {
			t.Errorf("reject %s:%s keeps %d bytes of raw text, want at most about 1 KiB", uri, line, len(raw))
		}
		matched := false
		for i, w := range want {
			if !used[i] && w.kind == kind && strings.HasSuffix(filepath.ToSlash(uri), "/"+w.path) &&
				fmt.Sprint(w.line) == line && strings.Contains(strings.ToLower(reason), strings.ToLower(w.reason)) {
				used[i], matched = true, true
				break
			}
		}
		if !matched {
			unexpected = append(unexpected, fmt.Sprintf("%s %s:%s %q", kind, filepath.Base(uri), line, short(reason)))
		}
	}
	var missing []string
	for i, w := range want {
		if !used[i] {
			missing = append(missing, fmt.Sprintf("%s %s:%d %q", w.kind, w.path, w.line, w.reason))
		}
	}
	sort.Strings(unexpected)
	if len(unexpected) > 0 || len(missing) > 0 {
		t.Errorf("rejects differ:\n  unexpected: %v\n  missing:    %v", unexpected, missing)
	}
}

func short(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
