package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/zeebo/xxh3"
	"golang.org/x/sync/errgroup"

	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// Kinds of source.
const (
	KindSong = "song"
	KindLog  = "log"
)

// task is one file to read in this load.
type task struct {
	kind     string
	src      source.Source
	obj      source.Object
	fileID   int64
	replaces int64 // the file_id of the version this one replaces, or 0

	// Filled by staging.
	lines, loaded, rejected int64
	fingerprint             string
}

// plan is what a load will read: new and changed files of both sources,
// and the loaded files whose rows go (replaced by a new version, or gone
// from the source in a ranged full refresh).
type plan struct {
	tasks    map[string][]*task // by kind
	replaced []int64
	sources  map[string]*SourceResult
	skipped  []Skipped
}

func (p *plan) empty() bool {
	return len(p.tasks[KindSong]) == 0 && len(p.tasks[KindLog]) == 0 && len(p.replaced) == 0
}

// knownFile is a loaded file as sparkify_files records it.
type knownFile struct {
	fileID      int64
	kind        string
	version     string
	size        int64
	fingerprint string
}

// touchedFile is a loaded file whose quick-check version changed but whose
// content did not: its new version is recorded, nothing is reloaded.
type touchedFile struct {
	fileID  int64
	version string
}

// makePlan lists the sources and compares them with the files already
// loaded. A file whose quick-check version (size and mtime, or ETag) is
// unchanged is skipped without being read.
// planOptions narrow what a load reads.
type planOptions struct {
	fullRefresh bool
	days        *DateRange
	filter      func(kind string, obj source.Object) (bool, string)
}

func makePlan(ctx context.Context, sess warehouse.Session, set *sqlset.Set, srcs map[string]source.Source, po planOptions) (*plan, error) {
	p := &plan{tasks: map[string][]*task{}, sources: map[string]*SourceResult{}}
	var touched []touchedFile
	listed := map[string][]source.Object{}
	skipped := map[string][]Skipped{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for kind, src := range srcs {
		if src == nil {
			continue
		}
		g.Go(func() error {
			objs, err := src.List(gctx, func(key, reason string) {
				mu.Lock()
				defer mu.Unlock()
				skipped[kind] = append(skipped[kind], Skipped{Kind: kind, Key: key, Reason: reason})
			})
			if err != nil {
				return fmt.Errorf("list %s files in %s: %w", kind, src.URI(), err)
			}
			mu.Lock()
			defer mu.Unlock()
			listed[kind] = objs
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	known, err := knownFiles(ctx, sess, set, len(listed[KindSong])+len(listed[KindLog]))
	if err != nil {
		return nil, err
	}
	for _, kind := range []string{KindSong, KindLog} {
		src := srcs[kind]
		if src == nil {
			continue
		}
		sr := &SourceResult{Kind: kind, URI: src.URI(), FilesListed: len(listed[kind])}
		p.sources[kind] = sr
		sk := skipped[kind]
		sort.Slice(sk, func(i, j int) bool { return sk[i].Key < sk[j].Key })
		p.skipped = append(p.skipped, sk...)
		for _, obj := range listed[kind] {
			if po.filter != nil {
				if ok, why := po.filter(kind, obj); !ok {
					sr.FilesWaiting++
					p.skipped = append(p.skipped, Skipped{Kind: kind, Key: obj.Key, Reason: why})
					continue
				}
			}
			if kind == KindLog && po.days != nil {
				day, err := fileDay(ctx, src, obj)
				if err != nil && !errors.Is(err, errNoDay) {
					return nil, err
				}
				if err != nil || !po.days.Contains(day) {
					sr.FilesOutOfRange++
					continue
				}
			}
			k, seen := known[obj.URI]
			t := &task{kind: kind, src: src, obj: obj}
			// A full refresh of a date range reloads exactly those days'
			// log files, replacing what they loaded before.
			reload := po.fullRefresh && po.days != nil && kind == KindLog
			switch {
			case !seen || (po.fullRefresh && po.days == nil):
				sr.FilesNew++
			case k.kind == kind && !reload && k.version == obj.Version:
				sr.FilesUnchanged++
				continue
			case k.kind == kind && !reload && sameContent(ctx, src, obj, k):
				sr.FilesUnchanged++
				sr.FilesTouched++
				touched = append(touched, touchedFile{fileID: k.fileID, version: obj.Version})
				continue
			default:
				sr.FilesChanged++
				t.replaces = k.fileID
				p.replaced = append(p.replaced, k.fileID)
			}
			p.tasks[kind] = append(p.tasks[kind], t)
		}
		if kind == KindLog && po.fullRefresh && po.days != nil {
			sr.FilesDropped = p.dropVanished(known, listed[kind], po.days)
		}
	}
	if err := p.addCoReplaced(ctx, sess, srcs, known, listed); err != nil {
		return nil, err
	}
	if err := recordTouched(ctx, sess, set, touched); err != nil {
		return nil, err
	}
	return p, nil
}

// addCoReplaced adds to the plan the loaded files whose staged rows the
// engine cannot keep apart from those of a file the plan replaces (see
// warehouse.CoReplacer): they are read again from the source, as they are
// now, and counted as restaged. One that is gone from the source would
// lose its rows, so the load stops before it starts.
func (p *plan) addCoReplaced(ctx context.Context, sess warehouse.Session, srcs map[string]source.Source, known map[string]knownFile, listed map[string][]source.Object) error {
	cr, ok := sess.(warehouse.CoReplacer)
	if !ok || len(p.replaced) == 0 {
		return nil
	}
	mates, err := cr.CoReplaced(ctx, p.replaced)
	if err != nil {
		return fmt.Errorf("find the files staged with the replaced ones: %w", err)
	}
	if len(mates) == 0 {
		return nil
	}
	byID := make(map[int64]string, len(known))
	for uri, k := range known {
		byID[k.fileID] = uri
	}
	present := map[string]source.Object{}
	for _, objs := range listed {
		for _, o := range objs {
			present[o.URI] = o
		}
	}
	replaced := make(map[int64]bool, len(p.replaced))
	for _, id := range p.replaced {
		replaced[id] = true
	}
	for _, id := range mates {
		uri, ok := byID[id]
		if !ok || replaced[id] {
			continue
		}
		kind := known[uri].kind
		obj, found := present[uri]
		if !found || srcs[kind] == nil {
			return fmt.Errorf("%s: this load replaces a file that the warehouse staged together with it, so its rows must be staged again, "+
				"but it is no longer in the %s source; restore it, or reload everything with --full-refresh", uri, kind)
		}
		replaced[id] = true
		p.replaced = append(p.replaced, id)
		p.tasks[kind] = append(p.tasks[kind], &task{kind: kind, src: srcs[kind], obj: obj, replaces: id})
		if sr := p.sources[kind]; sr != nil {
			sr.FilesRestaged++
		}
	}
	return nil
}

// sameContent reports whether a loaded file whose quick-check version
// changed still holds the bytes it was loaded from: same size and the same
// xxh3-128 of its content (read once more; only touched files pay for it).
// Sources that know a fingerprint without reading (S3's ETag) version by
// it already, so they are never read here. Any error means "changed": the
// file is then loaded as usual, which reports the error if it persists.
func sameContent(ctx context.Context, src source.Source, obj source.Object, k knownFile) bool {
	if obj.Fingerprint != "" || obj.Size != k.size || !strings.HasPrefix(k.fingerprint, source.ContentPrefix) {
		return false
	}
	rc, err := src.Open(ctx, obj)
	if err != nil {
		return false
	}
	defer rc.Close()
	h := xxh3.New128()
	if _, err := io.Copy(h, rc); err != nil {
		return false
	}
	return source.ContentFingerprint(h) == k.fingerprint
}

// recordTouched stores the new versions of touched files, so the next run
// skips them without reading, in a transaction of its own: it changes no
// data, only what the quick check compares.
func recordTouched(ctx context.Context, sess warehouse.Session, set *sqlset.Set, touched []touchedFile) error {
	if len(touched) == 0 {
		return nil
	}
	if err := sess.Begin(ctx); err != nil {
		return err
	}
	rows := make([][]any, len(touched))
	for i, f := range touched {
		rows[i] = []any{f.fileID, f.version}
	}
	err := func() error {
		if _, err := execBlock(ctx, sess, set, "files_touch_begin"); err != nil {
			return err
		}
		if _, err := warehouse.CopyRows(ctx, sess, "tmp_touched", touchedColumns, touchedTypes, rows); err != nil {
			return err
		}
		_, err := execBlock(ctx, sess, set, "files_touch")
		return err
	}()
	if err != nil {
		sess.Rollback(ctx)
		return fmt.Errorf("record touched files: %w", err)
	}
	return sess.Commit(ctx)
}

var (
	touchedColumns = []string{"file_id", "version"}
	touchedTypes   = []warehouse.ColumnType{warehouse.Int64, warehouse.String}
)

// dropVanished marks for removal the loaded log files of the refreshed days
// that are no longer in the source, so a ranged full refresh replaces
// exactly those days' plays with what the source holds now. A file's day
// is the date in its name; loaded files without one are left alone (their
// day was their first event's, and the file is gone). Only files under the
// source's root count; it returns how many were dropped.
func (p *plan) dropVanished(known map[string]knownFile, listed []source.Object, days *DateRange) int {
	if len(listed) == 0 {
		return 0 // no root to tell this source's files from others'
	}
	root := strings.TrimSuffix(listed[0].URI, listed[0].Key)
	present := make(map[string]bool, len(listed))
	for _, obj := range listed {
		present[obj.URI] = true
	}
	n := 0
	for uri, k := range known {
		if k.kind != KindLog || present[uri] || !strings.HasPrefix(uri, root) {
			continue
		}
		if day, ok := dayInName(uri); !ok || !days.Contains(day) {
			continue
		}
		p.replaced = append(p.replaced, k.fileID)
		n++
	}
	return n
}

func knownFiles(ctx context.Context, sess warehouse.Session, set *sqlset.Set, hint int) (map[string]knownFile, error) {
	q, err := set.Text("files_known")
	if err != nil {
		return nil, err
	}
	rows, err := sess.Conn().QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read loaded files: %w", err)
	}
	defer rows.Close()
	out := make(map[string]knownFile, hint)
	for rows.Next() {
		var k knownFile
		var uri string
		if err := rows.Scan(&k.fileID, &k.kind, &uri, &k.version, &k.size, &k.fingerprint); err != nil {
			return nil, err
		}
		out[uri] = k
	}
	return out, rows.Err()
}

// assignIDs numbers the files of a load: load id in the high bits, the
// file's place in the plan in the low ones.
func (p *plan) assignIDs(loadID int64) {
	n := int64(0)
	for _, kind := range []string{KindSong, KindLog} {
		for _, t := range p.tasks[kind] {
			n++
			t.fileID = loadID<<32 | n
		}
	}
}
