package pipeline

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"sync"

	"github.com/sparkify/sparkify/internal/record"
)

// rejectRow is one rejected line, as stored in sparkify_rejects.
type rejectRow struct {
	Kind   string `json:"k"`
	URI    string `json:"u"`
	Line   int64  `json:"l"`
	Reason string `json:"r"`
	Raw    string `json:"w"`
}

// rejectLog collects rejected lines from every reader goroutine. It spills
// them to a temporary file, so a load of mostly bad lines still runs in
// bounded memory, and keeps them past a rollback so a failed load can
// still record every one.
type rejectLog struct {
	mu    sync.Mutex
	f     *os.File
	w     *bufio.Writer
	enc   *json.Encoder
	count int64
	err   error
}

func newRejectLog() *rejectLog { return &rejectLog{} }

func (l *rejectLog) add(kind, uri string, r record.Reject) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return
	}
	if l.f == nil {
		l.f, l.err = os.CreateTemp("", "sparkify-rejects-*.jsonl")
		if l.err != nil {
			return
		}
		l.w = bufio.NewWriter(l.f)
		l.enc = json.NewEncoder(l.w)
	}
	l.err = l.enc.Encode(rejectRow{Kind: kind, URI: uri, Line: r.Line, Reason: r.Reason, Raw: r.Raw})
	l.count++
}

// Count is the number of rejects so far.
func (l *rejectLog) Count() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}

// source returns the rejects as rows of sparkify_rejects for loadID.
func (l *rejectLog) source(loadID int64) (*rejectSource, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return nil, l.err
	}
	if l.f == nil {
		return &rejectSource{}, nil
	}
	if err := l.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return &rejectSource{dec: json.NewDecoder(bufio.NewReader(l.f)), loadID: loadID}, nil
}

func (l *rejectLog) Close() error {
	if l.f == nil {
		return nil
	}
	name := l.f.Name()
	l.f.Close()
	return os.Remove(name)
}

var rejectColumns = []string{"load_id", "kind", "uri", "line_no", "reason", "raw"}

type rejectSource struct {
	dec    *json.Decoder
	loadID int64
	cur    rejectRow
	err    error
}

func (s *rejectSource) Next() bool {
	if s.dec == nil || s.err != nil {
		return false
	}
	s.cur = rejectRow{}
	if err := s.dec.Decode(&s.cur); err != nil {
		if !errors.Is(err, io.EOF) {
			s.err = err
		}
		return false
	}
	return true
}

func (s *rejectSource) Values() ([]any, error) {
	return []any{s.loadID, s.cur.Kind, s.cur.URI, s.cur.Line, s.cur.Reason, s.cur.Raw}, nil
}

func (s *rejectSource) Err() error { return s.err }
