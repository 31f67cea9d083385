package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/zeebo/xxh3"
	"golang.org/x/sync/errgroup"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse"
)

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

// stage decodes tasks on several goroutines into column batches and loads
// them into the kind's staging table through the session's bulk path.
func (st *stager) stage(ctx context.Context, sess warehouse.Session, kind string, tasks []*task) (int64, error) {
	if len(tasks) == 0 {
		return 0, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	table, cols, types := "staging_events", eventColumns, eventTypes
	if kind == KindSong {
		table, cols, types = "staging_songs", songColumns, songTypes
	}
	workers := st.workers
	if c, ok := tasks[0].src.(source.Concurrent); ok {
		workers = max(workers, c.Concurrency()) // I/O-bound: more readers than CPUs
	}
	out := make(chan *warehouse.Batch, 2*workers)
	pool := newBatchPool(types)
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() error {
			wk := &worker{dec: record.NewDecoder(), hash: xxh3.New128()}
			defer func() { st.addFields(wk.dec.UnknownFields()) }()
			w := &batchWriter{x: newBuilder(types, pool), out: out}
			for {
				i := next.Add(1) - 1
				if int(i) >= len(tasks) {
					return w.flush(gctx)
				}
				t := tasks[i]
				var err error
				if kind == KindSong {
					err = st.readSongs(gctx, wk, t, w)
				} else {
					err = st.readEvents(gctx, wk, t, w)
				}
				if err != nil {
					return err
				}
				st.progress.FileDone(t.obj.Size)
			}
		})
	}
	var readErr error
	go func() {
		readErr = g.Wait()
		close(out)
	}()
	var n int64
	var err error
	if bc, ok := sess.(warehouse.BatchCopier); ok {
		n, err = bc.CopyBatches(ctx, table, cols, types, out)
	} else {
		n, err = sess.CopyFrom(ctx, table, cols, warehouse.BatchRows(out, func() error { return readErr }))
	}
	cancel()
	for b := range out { // let the readers finish
		b.Done()
	}
	if readErr != nil && !errors.Is(readErr, context.Canceled) {
		return n, readErr
	}
	return n, err
}

// batchWriter fills one goroutine's batches and hands full ones on.
type batchWriter struct {
	x   *builder
	out chan<- *warehouse.Batch
}

func (w *batchWriter) sendIfFull(ctx context.Context) error {
	if !w.x.full() {
		return nil
	}
	return w.flush(ctx)
}

func (w *batchWriter) flush(ctx context.Context) error {
	if w.x.b.Len == 0 {
		return nil
	}
	select {
	case w.out <- w.x.b:
	case <-ctx.Done():
		return ctx.Err()
	}
	w.x.reset()
	return nil
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

// worker is one reader goroutine's reusable state.
type worker struct {
	dec  *record.Decoder
	hash *xxh3.Hasher128
	raw  []byte // a whole small file, as stored
	data []byte // the same, decompressed
}

// fingerprint names a file's content: the source's own (S3 ETag), or the
// xxh3-128 of the bytes as stored, from the worker's hasher.
func (wk *worker) fingerprint(t *task) string {
	if t.obj.Fingerprint != "" {
		return t.obj.Fingerprint
	}
	return source.ContentFingerprint(wk.hash)
}

// open opens a task's file for streaming, hashing its bytes as they are
// read unless the source already knows a fingerprint (an S3 ETag).
func (st *stager) open(ctx context.Context, wk *worker, t *task) (io.Reader, func() error, error) {
	rc, err := t.src.Open(ctx, t.obj)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", t.obj.URI, err)
	}
	wk.hash.Reset()
	var r io.Reader = rc
	if t.obj.Fingerprint == "" {
		r = io.TeeReader(rc, wk.hash)
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
		if t.obj.Fingerprint == "" {
			io.Copy(wk.hash, rc) // hash what the decoder left unread
		}
		t.fingerprint = wk.fingerprint(t)
		return rc.Close()
	}
	return dr, done, nil
}

// readSmall reads a small file whole into the worker's buffers and returns
// its decompressed content (or a corrupt-input error to reject).
func (st *stager) readSmall(ctx context.Context, wk *worker, t *task) ([]byte, error) {
	rc, err := t.src.Open(ctx, t.obj)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", t.obj.URI, err)
	}
	defer rc.Close()
	var eof bool
	wk.raw, eof, err = readInto(wk.raw[:0], rc, record.MaxSongFile+1)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.obj.URI, err)
	}
	if t.obj.Fingerprint == "" {
		wk.hash.Reset()
		wk.hash.Write(wk.raw)
		if !eof {
			io.Copy(wk.hash, rc) // an oversized file is rejected, but known by all its bytes
		}
	}
	t.fingerprint = wk.fingerprint(t)
	if !strings.HasSuffix(strings.ToLower(t.obj.Key), ".gz") {
		return wk.raw, nil
	}
	zr, err := record.Decompress(bytes.NewReader(wk.raw), t.obj.Key)
	if err != nil {
		return nil, err
	}
	wk.data, _, err = readInto(wk.data[:0], zr, record.MaxSongFile+1)
	return wk.data, err
}

// readInto appends up to limit bytes of r to buf; eof says r was read to
// its end.
func readInto(buf []byte, r io.Reader, limit int) (_ []byte, eof bool, _ error) {
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
	return buf, false, nil
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

func (st *stager) reject(t *task, line int64, reason string, raw []byte) {
	t.rejected++
	st.rejects.add(t.kind, t.obj.URI, record.Reject{Line: line, Reason: reason, Raw: record.RawText(raw)})
}

// readEvents decodes a log file line by line.
func (st *stager) readEvents(ctx context.Context, wk *worker, t *task, w *batchWriter) error {
	dec := wk.dec
	r, done, err := st.open(ctx, wk, t)
	if err != nil {
		return err
	}
	var ev record.Event
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
		if err := dec.DecodeEvent(line, &ev); err != nil {
			st.reject(t, no, err.Error(), line)
			continue
		}
		t.loaded++
		w.x.addEvent(&ev, ev.ID(), st.loadID, t.fileID, no)
		if err := w.sendIfFull(ctx); err != nil {
			done()
			return err
		}
	}
	return done()
}

// readSongs decodes a song file, read whole.
func (st *stager) readSongs(ctx context.Context, wk *worker, t *task, w *batchWriter) error {
	data, err := st.readSmall(ctx, wk, t)
	var res *record.SongFileResult
	switch {
	case err == nil:
		res = wk.dec.DecodeSongBytes(data)
	case record.IsCorrupt(err):
		res = &record.SongFileResult{Read: 1, Rejects: []record.Reject{{Line: 1, Reason: err.Error()}}}
	default:
		return err
	}
	t.lines += res.Read
	for _, rj := range res.Rejects {
		t.rejected++
		st.rejects.add(t.kind, t.obj.URI, rj)
	}
	for i := range res.Songs {
		t.loaded++
		w.x.addSong(&res.Songs[i], st.loadID, t.fileID, res.Lines[i])
		if err := w.sendIfFull(ctx); err != nil {
			return err
		}
	}
	return nil
}
