package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// Timestamps outside [1970-01-01, 2100-01-01) are rejected as implausible.
const (
	minTS = 0
	maxTS = 4102444800000
)

// Decoder decodes records. It is not safe for concurrent use: give each
// goroutine its own.
type Decoder struct {
	p      fastjson.Parser
	extra  extras
	fields map[string]struct{} // unknown field names seen
}

// NewDecoder returns a Decoder.
func NewDecoder() *Decoder { return &Decoder{fields: map[string]struct{}{}} }

// UnknownFields lists the field names outside the schema seen so far.
func (d *Decoder) UnknownFields() []string {
	out := make([]string, 0, len(d.fields))
	for k := range d.fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// parseObject validates a JSON text strictly and parses it as an object.
func (d *Decoder) parseObject(data []byte) (*fastjson.Object, error) {
	if i := invalidUTF8(data); i >= 0 {
		return nil, fmt.Errorf("invalid UTF-8 at byte %d", i+1)
	}
	if err := fastjson.ValidateBytes(data); err != nil {
		return nil, syntaxError(data)
	}
	// fastjson lets raw control characters through in a string that also
	// holds an escape ("\x01\\n"); encoding/json decides, for the rare
	// line that has any.
	if hasControl(data) && !json.Valid(data) {
		return nil, syntaxError(data)
	}
	if i, esc := loneSurrogate(data); i >= 0 {
		return nil, fmt.Errorf("invalid JSON at byte %d: %s is a lone UTF-16 surrogate, not a character", i+1, esc)
	}
	v, err := d.p.ParseBytes(data)
	if err != nil {
		// Valid JSON that fastjson will not parse is nested too deeply; its
		// error repeats itself once per level, so say it in one sentence.
		return nil, fmt.Errorf("invalid JSON: nested deeper than %d levels", fastjson.MaxDepth)
	}
	if v.Type() != fastjson.TypeObject {
		return nil, fmt.Errorf("not a JSON object: got %s", typeName(v))
	}
	o, _ := v.Object()
	return o, nil
}

// SyntaxError is JSON that does not parse; Offset is the byte where it
// breaks (0 when unknown).
type SyntaxError struct {
	Offset int64
	Msg    string
}

func (e *SyntaxError) Error() string {
	if e.Offset > 0 {
		return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
	}
	return "invalid JSON: " + e.Msg
}

// syntaxError describes where a JSON text is broken, using encoding/json
// for its precise offsets (only on the error path).
func syntaxError(data []byte) error {
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &SyntaxError{Offset: se.Offset, Msg: se.Error()}
	}
	if err != nil {
		return &SyntaxError{Msg: err.Error()}
	}
	return &SyntaxError{Msg: "not valid JSON"}
}

// loneSurrogate finds a \uXXXX escape of a UTF-16 surrogate that is not
// half of a pair, in a text already validated as JSON (where a backslash
// only occurs in strings). fastjson would keep such an escape as its six
// literal characters, silently changing the value; encoding/json would turn
// it into U+FFFD. Either way the value is not what was written, so the line
// is rejected. It returns the escape's offset and text, or -1.
func loneSurrogate(b []byte) (int, string) {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '\\')
		if j < 0 {
			return -1, ""
		}
		i += j
		if i+1 >= len(b) || b[i+1] != 'u' {
			i += 2 // an escape of one character, such as \\ or \"
			continue
		}
		r := hex4(b[i+2:])
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if !(len(b) >= i+12 && b[i+6] == '\\' && b[i+7] == 'u') {
				return i, string(b[i : i+6])
			}
			if lo := hex4(b[i+8:]); lo < 0xDC00 || lo > 0xDFFF {
				return i, string(b[i : i+6])
			}
			i += 12
		case r >= 0xDC00 && r <= 0xDFFF:
			return i, string(b[i : i+6])
		default:
			i += 6
		}
	}
	return -1, ""
}

// hex4 reads four hex digits (validated JSON guarantees them after \u).
func hex4(b []byte) int {
	if len(b) < 4 {
		return -1
	}
	n := 0
	for _, c := range b[:4] {
		n <<= 4
		switch {
		case c >= '0' && c <= '9':
			n |= int(c - '0')
		case c >= 'a' && c <= 'f':
			n |= int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			n |= int(c-'A') + 10
		default:
			return -1
		}
	}
	return n
}

// hasControl reports whether b holds a byte below 0x20.
func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// visit walks an object's fields once: known ones are counted, unknown
// ones go to Extra. A field given twice is an error, so no value is dropped
// silently.
func (d *Decoder) visit(o *fastjson.Object, index map[string]int) error {
	d.extra.reset()
	var seen uint64
	dup := ""
	o.Visit(func(k []byte, v *fastjson.Value) {
		i, ok := index[string(k)]
		if !ok {
			for _, n := range d.extra.names {
				if n == string(k) {
					dup = n
				}
			}
			d.extra.add(k, v)
			return
		}
		if seen&(1<<i) != 0 {
			dup = string(k)
		}
		seen |= 1 << i
	})
	if dup != "" {
		return fmt.Errorf("field %s appears twice", dup)
	}
	for _, n := range d.extra.names {
		d.fields[n] = struct{}{}
	}
	return nil
}

func fieldIndex(names ...string) map[string]int {
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[n] = i
	}
	return m
}

var eventFields = fieldIndex("artist", "auth", "firstName", "gender", "itemInSession", "lastName",
	"length", "level", "location", "method", "page", "registration",
	"sessionId", "song", "status", "ts", "userAgent", "userId")

// DecodeEvent decodes one event line into ev. The error is the reason to
// reject the line.
func (d *Decoder) DecodeEvent(line []byte, ev *Event) error {
	o, err := d.parseObject(line)
	if err != nil {
		return err
	}
	if err := d.visit(o, eventFields); err != nil {
		return err
	}
	var errs errList
	ev.TS = errs.int(integer("ts", o.Get("ts"), minTS, maxTS))
	ev.UserID = errs.str(str("userId", o.Get("userId")))
	ev.SessionID = errs.int(integer("sessionId", o.Get("sessionId"), math.MinInt64, math.MaxInt64))
	ev.ItemInSession = errs.int(integer("itemInSession", o.Get("itemInSession"), math.MinInt32, math.MaxInt32))
	ev.Page = errs.str(str("page", o.Get("page")))
	ev.Level = errs.str(str("level", o.Get("level")))
	ev.Artist = errs.nstr(nullStr("artist", o.Get("artist")))
	ev.Auth = errs.nstr(nullStr("auth", o.Get("auth")))
	ev.FirstName = errs.nstr(nullStr("firstName", o.Get("firstName")))
	ev.Gender = errs.nstr(nullStr("gender", o.Get("gender")))
	ev.LastName = errs.nstr(nullStr("lastName", o.Get("lastName")))
	ev.Location = errs.nstr(nullStr("location", o.Get("location")))
	ev.Method = errs.nstr(nullStr("method", o.Get("method")))
	ev.Song = errs.nstr(nullStr("song", o.Get("song")))
	ev.UserAgent = errs.nstr(nullStr("userAgent", o.Get("userAgent")))
	ev.Length = errs.nfloat(nullNum("length", o.Get("length")))
	ev.Registration = errs.nfloat(nullNum("registration", o.Get("registration")))
	ev.Status = errs.nint(nullInt("status", o.Get("status"), math.MinInt32, math.MaxInt32))
	if errs.err == nil && ev.Page == "NextSong" {
		// A play must say what was played.
		switch {
		case !ev.Song.Valid:
			errs.add(errField("song", "missing on a NextSong event"))
		case !ev.Artist.Valid:
			errs.add(errField("artist", "missing on a NextSong event"))
		case !ev.Length.Valid:
			errs.add(errField("length", "missing on a NextSong event"))
		}
	}
	ev.Extra = d.extra.text()
	return errs.err
}

var songFields = fieldIndex("num_songs", "artist_id", "artist_latitude", "artist_longitude",
	"artist_location", "artist_name", "song_id", "title", "duration", "year")

// DecodeSong decodes one song object into s.
func (d *Decoder) DecodeSong(data []byte, s *Song) error {
	o, err := d.parseObject(data)
	if err != nil {
		return err
	}
	if err := d.visit(o, songFields); err != nil {
		return err
	}
	var errs errList
	s.SongID = errs.str(nonEmpty("song_id", o.Get("song_id")))
	s.Title = errs.str(str("title", o.Get("title")))
	s.ArtistID = errs.str(nonEmpty("artist_id", o.Get("artist_id")))
	s.ArtistName = errs.str(str("artist_name", o.Get("artist_name")))
	s.Duration = errs.float(num("duration", o.Get("duration")))
	s.Year = errs.nint(nullInt("year", o.Get("year"), 0, 9999))
	s.NumSongs = errs.nint(nullInt("num_songs", o.Get("num_songs"), math.MinInt32, math.MaxInt32))
	s.ArtistLatitude = errs.nfloat(nullNum("artist_latitude", o.Get("artist_latitude")))
	s.ArtistLongitude = errs.nfloat(nullNum("artist_longitude", o.Get("artist_longitude")))
	s.ArtistLocation = errs.nstr(nullStr("artist_location", o.Get("artist_location")))
	s.Extra = d.extra.text()
	return errs.err
}

// errList keeps the first field error of a record.
type errList struct{ err error }

func (l *errList) add(err error) {
	if l.err == nil && err != nil {
		l.err = err
	}
}
func (l *errList) str(s string, err error) string          { l.add(err); return s }
func (l *errList) int(i int64, err error) int64            { l.add(err); return i }
func (l *errList) float(f float64, err error) float64      { l.add(err); return f }
func (l *errList) nstr(s NullString, err error) NullString { l.add(err); return s }
func (l *errList) nfloat(f NullFloat, err error) NullFloat { l.add(err); return f }
func (l *errList) nint(i NullInt, err error) NullInt       { l.add(err); return i }

// RawText makes a line safe to store with its reject: valid UTF-8, no NUL,
// at most MaxRawLen bytes.
func RawText(b []byte) string {
	if len(b) > MaxRawLen {
		b = b[:MaxRawLen]
	}
	s := string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	return string(bytes.ReplaceAll([]byte(s), []byte{0}, []byte("\uFFFD")))
}
