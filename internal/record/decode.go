package record

import (
	"bytes"

	"fmt"
	"math"
	"sort"
	"unicode/utf8"
)

// Timestamps outside [1970-01-01, 2100-01-01) are rejected as implausible.
const (
	minTS = 0
	maxTS = 4102444800000
)

// Decoder decodes records. It is not safe for concurrent use: give each
// goroutine its own.
type Decoder struct {
	sc     scanner
	extra  extras
	fields map[string]struct{} // unknown field names seen
	cache  [cacheFields]textCache
}

// NewDecoder returns a Decoder.
func NewDecoder() *Decoder {
	return &Decoder{fields: map[string]struct{}{}}
}

// cacheFields are the fields with a value cache each: events' then songs'.
const cacheFields = evCount + soCount

// UnknownFields lists the field names outside the schema seen so far.
func (d *Decoder) UnknownFields() []string {
	out := make([]string, 0, len(d.fields))
	for k := range d.fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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

// object scans a JSON object in one pass, storing each known field's value
// at its index (from index; -1 for a field the schema does not know, kept in
// Extra) and marking got. A field given twice is an error, so no value is
// dropped silently. Syntax errors come before field errors.
//
// keys are the known names in their usual order: each key is first checked
// against the one expected next, which is one comparison for the files
// Sparkify writes (their keys always come in this order).
func (d *Decoder) object(data []byte, keys []string, index func(key []byte) int, vals []jval, got []bool) error {
	if i := invalidUTF8(data); i >= 0 {
		return fmt.Errorf("invalid UTF-8 at byte %d", i+1)
	}
	s := &d.sc
	s.reset(data)
	d.extra.reset()
	s.ws()
	if s.peek() != '{' {
		var v jval
		s.value(0, &v)
		if s.err == nil && !s.atEnd() {
			s.fail("invalid character %q after top-level value", s.peek())
		}
		if s.err != nil {
			return s.err
		}
		return fmt.Errorf("not a JSON object: got %s", v.kind)
	}
	s.i++
	var seen uint64
	dup := ""
	var k, extra jval
	next := 0 // the key expected next
	s.ws()
	if s.peek() == '}' {
		s.i++
	} else {
		for {
			s.ws()
			if s.peek() != '"' {
				s.fail("want a quoted key")
				return s.err
			}
			i := -1
			var key []byte
			if next < len(keys) && expectKey(data, s.i, keys[next]) {
				i = next
				k.start, k.end = int32(s.i), int32(s.i+len(keys[next])+2)
				key = data[k.start+1 : k.end-1]
				s.i = int(k.end)
			} else {
				s.stringValue(&k)
				if s.err != nil {
					return s.err
				}
				key = s.content(&k)
				i = index(key)
			}
			next = i + 1
			s.ws()
			if s.peek() != ':' {
				s.fail("want ':' after a key")
				return s.err
			}
			s.i++
			if i >= 0 {
				if seen&(1<<i) != 0 && dup == "" {
					dup = string(key)
				}
				seen |= 1 << i
				s.value(1, &vals[i])
				got[i] = true
			} else {
				name := string(key)
				s.value(1, &extra)
				for _, n := range d.extra.names {
					if n == name && dup == "" {
						dup = name
					}
				}
				if s.err == nil {
					d.extra.add(name, data[k.start:k.end], data[extra.start:extra.end])
				}
			}
			if s.err != nil {
				return s.err
			}
			s.ws()
			if s.peek() == ',' {
				s.i++
				continue
			}
			if s.peek() == '}' {
				s.i++
				break
			}
			s.fail("want ',' or '}' after an object value")
			return s.err
		}
	}
	if !s.atEnd() {
		s.fail("invalid character %q after top-level value", s.peek())
		return s.err
	}
	if dup != "" {
		return fmt.Errorf("field %s appears twice", dup)
	}
	for _, n := range d.extra.names {
		if _, ok := d.fields[n]; !ok {
			d.fields[n] = struct{}{}
		}
	}
	return nil
}

// expectKey reports whether data holds the quoted key at i.
func expectKey(data []byte, i int, key string) bool {
	end := i + len(key) + 2
	return end <= len(data) && data[i] == '"' && data[end-1] == '"' && string(data[i+1:end-1]) == key
}

// Event fields, in the order of eventIndex.
const (
	evArtist = iota
	evAuth
	evFirstName
	evGender
	evItemInSession
	evLastName
	evLength
	evLevel
	evLocation
	evMethod
	evPage
	evRegistration
	evSessionID
	evSong
	evStatus
	evTS
	evUserAgent
	evUserID
	evCount
)

// eventKeys are the event fields' names, in the order the files hold them.
var eventKeys = []string{"artist", "auth", "firstName", "gender", "itemInSession", "lastName", "length",
	"level", "location", "method", "page", "registration", "sessionId", "song", "status", "ts",
	"userAgent", "userId"}

// eventIndex finds an event field by its key: by length first, so most
// keys need one comparison.
func eventIndex(key []byte) int {
	switch len(key) {
	case 2:
		if string(key) == "ts" {
			return evTS
		}
	case 4:
		switch string(key) {
		case "auth":
			return evAuth
		case "page":
			return evPage
		case "song":
			return evSong
		}
	case 5:
		if string(key) == "level" {
			return evLevel
		}
	case 6:
		switch string(key) {
		case "artist":
			return evArtist
		case "gender":
			return evGender
		case "length":
			return evLength
		case "method":
			return evMethod
		case "status":
			return evStatus
		case "userId":
			return evUserID
		}
	case 8:
		switch string(key) {
		case "lastName":
			return evLastName
		case "location":
			return evLocation
		}
	case 9:
		switch string(key) {
		case "firstName":
			return evFirstName
		case "sessionId":
			return evSessionID
		case "userAgent":
			return evUserAgent
		}
	case 12:
		if string(key) == "registration" {
			return evRegistration
		}
	case 13:
		if string(key) == "itemInSession" {
			return evItemInSession
		}
	}
	return -1
}

// DecodeEvent decodes one event line into ev. The error is the reason to
// reject the line.
func (d *Decoder) DecodeEvent(line []byte, ev *Event) error {
	var vals [evCount]jval
	var got [evCount]bool
	if err := d.object(line, eventKeys, eventIndex, vals[:], got[:]); err != nil {
		return err
	}
	f := func(i int) *jval {
		if !got[i] {
			return nil
		}
		return &vals[i]
	}
	var errs errList
	ev.TS = errs.int(d.integer("ts", f(evTS), minTS, maxTS))
	ev.UserID = errs.str(d.str("userId", evUserID, f(evUserID)))
	ev.SessionID = errs.int(d.integer("sessionId", f(evSessionID), math.MinInt64, math.MaxInt64))
	ev.ItemInSession = errs.int(d.integer("itemInSession", f(evItemInSession), math.MinInt32, math.MaxInt32))
	ev.Page = errs.str(d.str("page", evPage, f(evPage)))
	ev.Level = errs.str(d.str("level", evLevel, f(evLevel)))
	ev.Artist = errs.nstr(d.nullStr("artist", evArtist, f(evArtist)))
	ev.Auth = errs.nstr(d.nullStr("auth", evAuth, f(evAuth)))
	ev.FirstName = errs.nstr(d.nullStr("firstName", evFirstName, f(evFirstName)))
	ev.Gender = errs.nstr(d.nullStr("gender", evGender, f(evGender)))
	ev.LastName = errs.nstr(d.nullStr("lastName", evLastName, f(evLastName)))
	ev.Location = errs.nstr(d.nullStr("location", evLocation, f(evLocation)))
	ev.Method = errs.nstr(d.nullStr("method", evMethod, f(evMethod)))
	ev.Song = errs.nstr(d.nullStr("song", evSong, f(evSong)))
	ev.UserAgent = errs.nstr(d.nullStr("userAgent", evUserAgent, f(evUserAgent)))
	ev.Length = errs.nfloat(d.nullNum("length", f(evLength)))
	ev.Registration = errs.nfloat(d.nullNum("registration", f(evRegistration)))
	ev.Status = errs.nint(d.nullInt("status", f(evStatus), math.MinInt32, math.MaxInt32))
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

// Song fields, in the order of songIndex.
const (
	soNumSongs = iota
	soArtistID
	soLatitude
	soLongitude
	soLocation
	soArtistName
	soSongID
	soTitle
	soDuration
	soYear
	soCount
)

// songKeys are the song fields' names, in the order the files hold them.
var songKeys = []string{"num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location",
	"artist_name", "song_id", "title", "duration", "year"}

func songIndex(key []byte) int {
	switch string(key) {
	case "num_songs":
		return soNumSongs
	case "artist_id":
		return soArtistID
	case "artist_latitude":
		return soLatitude
	case "artist_longitude":
		return soLongitude
	case "artist_location":
		return soLocation
	case "artist_name":
		return soArtistName
	case "song_id":
		return soSongID
	case "title":
		return soTitle
	case "duration":
		return soDuration
	case "year":
		return soYear
	}
	return -1
}

// DecodeSong decodes one song object into s.
func (d *Decoder) DecodeSong(data []byte, s *Song) error {
	var vals [soCount]jval
	var got [soCount]bool
	if err := d.object(data, songKeys, songIndex, vals[:], got[:]); err != nil {
		return err
	}
	f := func(i int) *jval {
		if !got[i] {
			return nil
		}
		return &vals[i]
	}
	var errs errList
	s.SongID = errs.str(d.nonEmpty("song_id", evCount+soSongID, f(soSongID)))
	s.Title = errs.str(d.str("title", evCount+soTitle, f(soTitle)))
	s.ArtistID = errs.str(d.nonEmpty("artist_id", evCount+soArtistID, f(soArtistID)))
	s.ArtistName = errs.str(d.str("artist_name", evCount+soArtistName, f(soArtistName)))
	s.Duration = errs.float(d.num("duration", f(soDuration)))
	s.Year = errs.nint(d.nullInt("year", f(soYear), 0, 9999))
	s.NumSongs = errs.nint(d.nullInt("num_songs", f(soNumSongs), math.MinInt32, math.MaxInt32))
	s.ArtistLatitude = errs.nfloat(d.nullNum("artist_latitude", f(soLatitude)))
	s.ArtistLongitude = errs.nfloat(d.nullNum("artist_longitude", f(soLongitude)))
	s.ArtistLocation = errs.nstr(d.nullStr("artist_location", evCount+soLocation, f(soLocation)))
	s.Extra = d.extra.text()
	return errs.err
}

// validJSON reports whether data is exactly one JSON value.
func (d *Decoder) validJSON(data []byte) bool { return d.sc.valid(data) }

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
	b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	return string(bytes.ReplaceAll(b, []byte{0}, []byte("\uFFFD")))
}
