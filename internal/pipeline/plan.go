package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

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

// plan is what a load will read: new and changed files of both sources.
type plan struct {
	tasks    map[string][]*task // by kind
	replaced []int64
	sources  map[string]*SourceResult
	skipped  []Skipped
}

func (p *plan) empty() bool { return len(p.tasks[KindSong]) == 0 && len(p.tasks[KindLog]) == 0 }

type knownFile struct {
	fileID  int64
	kind    string
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
			// files, replacing what they loaded before.
			rangedRefresh := po.fullRefresh && po.days != nil
			switch {
			case !seen || (po.fullRefresh && !rangedRefresh):
				sr.FilesNew++
			case k.version == obj.Version && k.kind == kind && !rangedRefresh:
				sr.FilesUnchanged++
				continue
			default:
				sr.FilesChanged++
				t.replaces = k.fileID
				p.replaced = append(p.replaced, k.fileID)
			}
			p.tasks[kind] = append(p.tasks[kind], t)
		}
	}
	return p, nil
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
		if err := rows.Scan(&k.fileID, &k.kind, &uri, &k.version); err != nil {
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
