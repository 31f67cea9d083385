// Package record defines the two kinds of raw Sparkify records, songs and
// events, and decodes them strictly from JSON: a line that is not valid
// JSON, not an object, or lacks or mistypes a required field becomes a
// Reject with a reason, never a silently wrong row.
package record

import "time"

// NullString is a string that may be JSON null (or absent).
type NullString struct {
	S     string
	Valid bool
}

// Value returns the string, or nil when not valid.
func (n NullString) Value() any {
	if !n.Valid {
		return nil
	}
	return n.S
}

// NullFloat is a number that may be JSON null (or absent).
type NullFloat struct {
	F     float64
	Valid bool
}

// Value returns the number, or nil when not valid.
func (n NullFloat) Value() any {
	if !n.Valid {
		return nil
	}
	return n.F
}

// NullInt is an integer that may be JSON null (or absent).
type NullInt struct {
	I     int64
	Valid bool
}

// Value returns the integer, or nil when not valid.
func (n NullInt) Value() any {
	if !n.Valid {
		return nil
	}
	return n.I
}

// Event is one line of an event log (log_data/YYYY/MM/YYYY-MM-DD-events.json).
type Event struct {
	Artist        NullString
	Auth          NullString
	FirstName     NullString
	Gender        NullString
	ItemInSession int64
	LastName      NullString
	Length        NullFloat
	Level         string
	Location      NullString
	Method        NullString
	Page          string
	Registration  NullFloat
	SessionID     int64
	Song          NullString
	Status        NullInt
	TS            int64 // milliseconds since the Unix epoch, UTC
	UserAgent     NullString
	UserID        string // "" for logged-out users
	// Extra is a JSON object of the fields the schema does not know, or "".
	Extra string
}

// StartTime is TS as a UTC time with millisecond precision.
func (e *Event) StartTime() time.Time { return time.UnixMilli(e.TS).UTC() }

// IsPlay reports whether the event is a song play that has a user: the
// events that become songplays.
func (e *Event) IsPlay() bool { return e.Page == "NextSong" && e.UserID != "" }

// Song is one song record (song_data/A/B/C/TR....json).
type Song struct {
	NumSongs        NullInt
	ArtistID        string
	ArtistLatitude  NullFloat
	ArtistLongitude NullFloat
	ArtistLocation  NullString
	ArtistName      string
	SongID          string
	Title           string
	Duration        float64
	Year            NullInt
	// Extra is a JSON object of the fields the schema does not know, or "".
	Extra string
}

// Reject is an input line that was not loaded.
type Reject struct {
	Line   int64  // 1-based line number in the (decompressed) file
	Reason string // why, in words
	Raw    string // the line, truncated to MaxRawLen bytes, as valid UTF-8
}

// MaxRawLen bounds the raw text kept with a reject.
const MaxRawLen = 1024
