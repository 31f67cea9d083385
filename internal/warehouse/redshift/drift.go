package redshift

import (
	"context"
	"errors"
	"io"
	"sort"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// maxExtra is the width of staging's extra column (VARCHAR(65535) bytes, Redshift's widest): a
// record whose unknown fields take more keeps none.
const maxExtra = 65535

// extras are the fields outside sparkify's schema in one local file, found
// by the Go decoder while the file is uploaded. COPY with a JSONPaths
// document (or 'auto ignorecase') reads only the known fields, so they are
// written into staging's extra column after COPY, matched by the event's
// id or the song's id. Objects COPY reads in place on S3 are read the same
// way, once, unless the config's NoFieldScan says not to.
type extras struct {
	fields []string // the unknown field names, sorted
	events []eventExtra
	songs  []songExtra
	// bad are the log lines the Go decoder refuses, with its reasons: when
	// MAXERROR stops a COPY, they name the bad lines COPY did not reach.
	bad []warehouse.StageReject
}

type eventExtra struct {
	id    int64
	extra string
}

type songExtra struct {
	id, extra string
}

// findExtras decodes a file of kind ("log" or "song") named name
// (.gz is decompressed) for its unknown fields and the log lines it refuses;
// nil when it has neither. A line that does not decode is COPY's to reject:
// it is only remembered here.
func findExtras(kind, name string, r io.Reader) (*extras, error) {
	r, err := record.Decompress(r, name)
	if err != nil {
		return nil, nil // COPY reports the corrupt file
	}
	d := record.NewDecoder()
	x := &extras{}
	switch kind {
	case "log":
		lines := record.NewLines(r)
		var ev record.Event
		for {
			line, no, err := lines.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if record.IsCorrupt(err) {
				return nil, nil
			}
			if err != nil && !errors.Is(err, record.ErrLineTooLong) {
				return nil, err
			}
			if err != nil {
				x.bad = append(x.bad, warehouse.StageReject{URI: name, Line: no, Reason: err.Error()})
				continue
			}
			if record.IsBlank(line) {
				continue
			}
			ev = record.Event{}
			if err := d.DecodeEvent(line, &ev); err != nil {
				x.bad = append(x.bad, warehouse.StageReject{URI: name, Line: no, Reason: err.Error(), Raw: record.RawText(line)})
				continue
			}
			if ev.Extra != "" && len(ev.Extra) <= maxExtra {
				x.events = append(x.events, eventExtra{id: record.EventID(ev.TS, ev.UserID, ev.SessionID, ev.ItemInSession), extra: ev.Extra})
			}
		}
	case "song":
		res, err := d.DecodeSongFile(r)
		if err != nil {
			return nil, err
		}
		for _, s := range res.Songs {
			if s.Extra != "" && len(s.Extra) <= maxExtra {
				x.songs = append(x.songs, songExtra{id: s.SongID, extra: s.Extra})
			}
		}
	}
	x.fields = d.UnknownFields()
	if len(x.fields) == 0 && len(x.bad) == 0 {
		return nil, nil
	}
	return x, nil
}

// keepEvents writes the unknown fields of the events of files into the
// rows one COPY staged for them, tagged fileID.
func (s *Session) keepEvents(ctx context.Context, loadID, fileID int64, files []staged) error {
	var rows [][]any
	for _, f := range files {
		if f.extras == nil {
			continue
		}
		for _, e := range f.extras.events {
			rows = append(rows, []any{e.id, e.extra})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := s.insert(ctx, "tmp_extra_events", []string{"event_id", "extra"}, &warehouse.SliceSource{Rows: rows}); err != nil {
		return err
	}
	return s.block(ctx, "copy_events_extra", loadID, fileID)
}

// keepSongs writes the unknown fields of a COPY's song files into the rows
// it staged, by song_id (the first file's, in the load's order, when two
// files name one song).
func (s *Session) keepSongs(ctx context.Context, loadID int64, files []staged) error {
	byID := map[string]string{}
	for _, f := range files {
		if f.extras == nil {
			continue
		}
		for _, e := range f.extras.songs {
			if _, ok := byID[e.id]; !ok {
				byID[e.id] = e.extra
			}
		}
	}
	if len(byID) == 0 {
		return nil
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rows := make([][]any, len(ids))
	for i, id := range ids {
		rows[i] = []any{id, byID[id]}
	}
	if _, err := s.insert(ctx, "tmp_extra_songs", []string{"song_id", "extra"}, &warehouse.SliceSource{Rows: rows}); err != nil {
		return err
	}
	return s.block(ctx, "copy_songs_extra", loadID)
}

// newFields lists the unknown field names found in the files, sorted.
func newFields(files []staged) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if f.extras == nil {
			continue
		}
		for _, n := range f.extras.fields {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}
