package pipeline

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/zeebo/xxh3"
	"golang.org/x/sync/errgroup"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// batchSize is how many rows travel together from readers to the loader.
const batchSize = 2048

// eventRow is a decoded event with where it came from.
type eventRow struct {
	ev     record.Event
	id     int64
	fileID int64
	line   int64
}

// songRow is a decoded song with where it came from.
type songRow struct {
	s      record.Song
	fileID int64
	line   int64
}

// stager reads the files of one kind in parallel and streams their records
// into a staging table through the session's bulk path.
type stager struct {
	loadID   int64
	workers  int
	rejects  *rejectLog
	progress Progress

	mu     sync.Mutex
	fields map[string]struct{}
}

// stage loads tasks into table. rows must turn a task into batches.
func (st *stager) stage(ctx context.Context, sess warehouse.Session, kind string, tasks []*task) (int64, error) {
	if len(tasks) == 0 {
		return 0, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := st.workers
	if c, ok := tasks[0].src.(source.Concurrent); ok {
		workers = max(workers, c.Concurrency()) // I/O-bound: more readers than CPUs
	}
	out := make(chan []any, 2*workers)
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() error {
			dec := record.NewDecoder()
			defer func() { st.addFields(dec.UnknownFields()) }()
			for {
				i := next.Add(1) - 1
				if int(i) >= len(tasks) {
					return nil
				}
				t := tasks[i]
				var err error
				if kind == KindSong {
					err = st.readSongs(gctx, dec, t, out)
				} else {
					err = st.readEvents(gctx, dec, t, out)
				}
				if err != nil {
					return err
				}
				st.progress.FileDone(t.obj.Size)
			}
		})
	}
	src := &batchSource{ch: out}
	go func() {
		src.err = g.Wait()
		close(out)
	}()
	var n int64
	var err error
	if kind == KindSong {
		n, err = sess.CopyFrom(ctx, "staging_songs", songColumns, &songSource{batchSource: src, loadID: st.loadID})
	} else {
		n, err = sess.CopyFrom(ctx, "staging_events", eventColumns, &eventSource{batchSource: src, loadID: st.loadID})
	}
	cancel()
	for range out { // let the readers finish
	}
	if src.err != nil && !errors.Is(src.err, context.Canceled) {
		return n, src.err
	}
	return n, err
}

func (st *stager) addFields(names []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, n := range names {
		st.fields[n] = struct{}{}
	}
}

func (st *stager) newFields() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]string, 0, len(st.fields))
	for k := range st.fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// open opens a task's file, hashing its bytes as they are read unless the
// source already knows a fingerprint (an S3 ETag).
func (st *stager) open(ctx context.Context, t *task) (io.Reader, func() error, error) {
	rc, err := t.src.Open(ctx, t.obj)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", t.obj.URI, err)
	}
	var h hash.Hash
	var r io.Reader = rc
	if t.obj.Fingerprint == "" {
		h = xxh3.New128()
		r = io.TeeReader(rc, h)
	}
	dr, err := record.Decompress(r, t.obj.Key)
	if err != nil {
		if !record.IsCorrupt(err) {
			rc.Close()
			return nil, nil, fmt.Errorf("read %s: %w", t.obj.URI, err)
		}
		dr = &errReader{err: err}
	}
	done := func() error {
		if h != nil {
			io.Copy(h, rc) // hash what the decoder left unread
			t.fingerprint = "xxh3:" + hex.EncodeToString(h.Sum(nil))
		} else {
			t.fingerprint = t.obj.Fingerprint
		}
		return rc.Close()
	}
	return dr, done, nil
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

func (st *stager) reject(t *task, line int64, reason string, raw []byte) {
	t.rejected++
	st.rejects.add(t.kind, t.obj.URI, record.Reject{Line: line, Reason: reason, Raw: record.RawText(raw)})
}

// readEvents decodes a log file line by line.
func (st *stager) readEvents(ctx context.Context, dec *record.Decoder, t *task, out chan<- []any) error {
	r, done, err := st.open(ctx, t)
	if err != nil {
		return err
	}
	batch := make([]any, 0, batchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
		batch = make([]any, 0, batchSize)
		return nil
	}
	lines := record.NewLines(r)
	for {
		line, no, err := lines.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, record.ErrLineTooLong) {
			t.lines++
			st.reject(t, no, err.Error(), nil)
			continue
		}
		if err != nil {
			if record.IsCorrupt(err) {
				t.lines++
				st.reject(t, no, err.Error(), nil)
				break
			}
			done()
			return fmt.Errorf("read %s line %d: %w", t.obj.URI, no, err)
		}
		if record.IsBlank(line) {
			continue
		}
		t.lines++
		row := &eventRow{fileID: t.fileID, line: no}
		if err := dec.DecodeEvent(line, &row.ev); err != nil {
			st.reject(t, no, err.Error(), line)
			continue
		}
		row.id = row.ev.ID()
		t.loaded++
		batch = append(batch, row)
		if len(batch) == batchSize {
			if err := flush(); err != nil {
				done()
				return err
			}
		}
	}
	if err := flush(); err != nil {
		done()
		return err
	}
	return done()
}

// readSongs decodes a song file.
func (st *stager) readSongs(ctx context.Context, dec *record.Decoder, t *task, out chan<- []any) error {
	r, done, err := st.open(ctx, t)
	if err != nil {
		return err
	}
	res, err := dec.DecodeSongFile(r)
	if err != nil {
		done()
		return fmt.Errorf("read %s: %w", t.obj.URI, err)
	}
	t.lines += res.Read
	for _, rj := range res.Rejects {
		t.rejected++
		st.rejects.add(t.kind, t.obj.URI, rj)
	}
	if len(res.Songs) > 0 {
		batch := make([]any, len(res.Songs))
		for i := range res.Songs {
			batch[i] = &songRow{s: res.Songs[i], fileID: t.fileID, line: res.Lines[i]}
		}
		t.loaded += int64(len(res.Songs))
		select {
		case out <- batch:
		case <-ctx.Done():
			done()
			return ctx.Err()
		}
	}
	return done()
}

// batchSource turns the readers' batches into one row stream.
type batchSource struct {
	ch    <-chan []any
	batch []any
	i     int
	err   error // set by the reader group before ch closes
}

func (b *batchSource) next() (any, bool) {
	for b.i >= len(b.batch) {
		batch, ok := <-b.ch
		if !ok {
			return nil, false
		}
		b.batch, b.i = batch, 0
	}
	r := b.batch[b.i]
	b.i++
	return r, true
}

func (b *batchSource) Err() error {
	if errors.Is(b.err, context.Canceled) {
		return nil
	}
	return b.err
}

var eventColumns = []string{
	"artist", "auth", "firstname", "gender", "iteminsession", "lastname", "length", "level",
	"location", "method", "page", "registration", "sessionid", "song", "status", "ts",
	"useragent", "userid", "start_time", "event_id", "load_id", "file_id", "line_no", "extra",
}

type eventSource struct {
	*batchSource
	loadID int64
	cur    *eventRow
	vals   []any
}

func (s *eventSource) Next() bool {
	r, ok := s.next()
	if ok {
		s.cur = r.(*eventRow)
	}
	return ok
}

func (s *eventSource) Values() ([]any, error) {
	e := &s.cur.ev
	var extra any
	if e.Extra != "" {
		extra = e.Extra
	}
	s.vals = append(s.vals[:0],
		e.Artist.Value(), e.Auth.Value(), e.FirstName.Value(), e.Gender.Value(), e.ItemInSession,
		e.LastName.Value(), e.Length.Value(), e.Level, e.Location.Value(), e.Method.Value(), e.Page,
		e.Registration.Value(), e.SessionID, e.Song.Value(), e.Status.Value(), e.TS,
		e.UserAgent.Value(), e.UserID, e.StartTime(), s.cur.id, s.loadID, s.cur.fileID, s.cur.line, extra)
	return s.vals, nil
}

var songColumns = []string{
	"num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location",
	"artist_name", "song_id", "title", "duration", "year", "load_id", "file_id", "line_no", "extra",
}

type songSource struct {
	*batchSource
	loadID int64
	cur    *songRow
	vals   []any
}

func (s *songSource) Next() bool {
	r, ok := s.next()
	if ok {
		s.cur = r.(*songRow)
	}
	return ok
}

func (s *songSource) Values() ([]any, error) {
	x := &s.cur.s
	var extra any
	if x.Extra != "" {
		extra = x.Extra
	}
	s.vals = append(s.vals[:0],
		x.NumSongs.Value(), x.ArtistID, x.ArtistLatitude.Value(), x.ArtistLongitude.Value(),
		x.ArtistLocation.Value(), x.ArtistName, x.SongID, x.Title, x.Duration, x.Year.Value(),
		s.loadID, s.cur.fileID, s.cur.line, extra)
	return s.vals, nil
}
