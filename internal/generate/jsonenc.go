package generate

import (
	"strconv"
	"unicode/utf8"

	"github.com/sparkify/sparkify/internal/record"
)

// The two JSON dialects of the real data set. Song files were written by
// Python's json.dumps (", " and ": " separators, non-ASCII as \uXXXX,
// slashes as they are); event logs by a JVM encoder (no spaces, non-ASCII
// as \uXXXX and every slash escaped as \/).

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string with non-ASCII characters
// escaped as \uXXXX (surrogate pairs beyond the BMP), and "/" escaped as
// "\/" when escapeSlash is set.
func appendJSONString(dst []byte, s string, escapeSlash bool) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' && (c != '/' || !escapeSlash) {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\', '/':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = appendU(dst, rune(c))
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r > 0xFFFF {
			r -= 0x10000
			dst = appendU(dst, 0xD800+(r>>10))
			dst = appendU(dst, 0xDC00+(r&0x3FF))
		} else {
			dst = appendU(dst, r)
		}
		i += n
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendU(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// appendNumber appends a float the way both writers of the real data do:
// the shortest decimal that reads back as the same number.
func appendNumber(dst []byte, f float64) []byte {
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

// appendSongJSON appends one song file's text exactly as the real song files
// are written: keys in their order, Python separators, no final newline.
func appendSongJSON(dst []byte, s *record.Song) []byte {
	dst = append(dst, `{"num_songs": `...)
	dst = appendNullInt(dst, s.NumSongs)
	dst = append(dst, `, "artist_id": `...)
	dst = appendJSONString(dst, s.ArtistID, false)
	dst = append(dst, `, "artist_latitude": `...)
	dst = appendNullFloat(dst, s.ArtistLatitude)
	dst = append(dst, `, "artist_longitude": `...)
	dst = appendNullFloat(dst, s.ArtistLongitude)
	dst = append(dst, `, "artist_location": `...)
	dst = appendNullString(dst, s.ArtistLocation, false)
	dst = append(dst, `, "artist_name": `...)
	dst = appendJSONString(dst, s.ArtistName, false)
	dst = append(dst, `, "song_id": `...)
	dst = appendJSONString(dst, s.SongID, false)
	dst = append(dst, `, "title": `...)
	dst = appendJSONString(dst, s.Title, false)
	dst = append(dst, `, "duration": `...)
	dst = appendNumber(dst, s.Duration)
	dst = append(dst, `, "year": `...)
	dst = appendNullInt(dst, s.Year)
	return append(dst, '}')
}

// appendEventJSON appends one event line exactly as the real logs are
// written (without the line's newline): keys in their order, no spaces,
// escaped slashes, registration as a float with ".0".
func appendEventJSON(dst []byte, e *record.Event) []byte {
	dst = append(dst, `{"artist":`...)
	dst = appendNullString(dst, e.Artist, true)
	dst = append(dst, `,"auth":`...)
	dst = appendNullString(dst, e.Auth, true)
	dst = append(dst, `,"firstName":`...)
	dst = appendNullString(dst, e.FirstName, true)
	dst = append(dst, `,"gender":`...)
	dst = appendNullString(dst, e.Gender, true)
	dst = append(dst, `,"itemInSession":`...)
	dst = strconv.AppendInt(dst, e.ItemInSession, 10)
	dst = append(dst, `,"lastName":`...)
	dst = appendNullString(dst, e.LastName, true)
	dst = append(dst, `,"length":`...)
	dst = appendNullFloat(dst, e.Length)
	dst = append(dst, `,"level":`...)
	dst = appendJSONString(dst, e.Level, true)
	dst = append(dst, `,"location":`...)
	dst = appendNullString(dst, e.Location, true)
	dst = append(dst, `,"method":`...)
	dst = appendNullString(dst, e.Method, true)
	dst = append(dst, `,"page":`...)
	dst = appendJSONString(dst, e.Page, true)
	dst = append(dst, `,"registration":`...)
	if e.Registration.Valid {
		dst = appendJVMDouble(dst, e.Registration.F)
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"sessionId":`...)
	dst = strconv.AppendInt(dst, e.SessionID, 10)
	dst = append(dst, `,"song":`...)
	dst = appendNullString(dst, e.Song, true)
	dst = append(dst, `,"status":`...)
	dst = appendNullInt(dst, e.Status)
	dst = append(dst, `,"ts":`...)
	dst = strconv.AppendInt(dst, e.TS, 10)
	dst = append(dst, `,"userAgent":`...)
	dst = appendNullString(dst, e.UserAgent, true)
	dst = append(dst, `,"userId":`...)
	dst = appendJSONString(dst, e.UserID, true)
	return append(dst, '}')
}

// appendJVMDouble writes a whole-valued double as the JVM does
// (1540919166796.0), others as the shortest decimal.
func appendJVMDouble(dst []byte, f float64) []byte {
	if f == float64(int64(f)) {
		dst = strconv.AppendInt(dst, int64(f), 10)
		return append(dst, '.', '0')
	}
	return appendNumber(dst, f)
}

func appendNullString(dst []byte, s record.NullString, escapeSlash bool) []byte {
	if !s.Valid {
		return append(dst, "null"...)
	}
	return appendJSONString(dst, s.S, escapeSlash)
}

func appendNullFloat(dst []byte, f record.NullFloat) []byte {
	if !f.Valid {
		return append(dst, "null"...)
	}
	return appendNumber(dst, f.F)
}

func appendNullInt(dst []byte, i record.NullInt) []byte {
	if !i.Valid {
		return append(dst, "null"...)
	}
	return strconv.AppendInt(dst, i.I, 10)
}
