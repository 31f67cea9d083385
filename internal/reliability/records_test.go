package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// obj is a JSON object under construction: a missing key is a missing
// field, a rawJSON value is written as it is (NaN, broken nesting, ...),
// anything else is marshalled by encoding/json.
type obj map[string]any

// rawJSON is text put into a line verbatim.
type rawJSON string

// The field orders of the real sample's files.
var (
	eventKeys = []string{"artist", "auth", "firstName", "gender", "itemInSession", "lastName", "length",
		"level", "location", "method", "page", "registration", "sessionId", "song", "status", "ts",
		"userAgent", "userId"}
	songKeys = []string{"num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location",
		"artist_name", "song_id", "title", "duration", "year"}
)

// baseTS is 2018-11-01T00:00:00Z in epoch milliseconds.
const baseTS = 1541030400000

// play returns a valid NextSong event of user uid; n makes it unique.
func play(uid string, n int) obj {
	return obj{
		"artist": fmt.Sprintf("Artist %d", n), "auth": "Logged In", "firstName": "First" + uid,
		"gender": "F", "itemInSession": n, "lastName": "Last" + uid, "length": 200.5 + float64(n),
		"level": "free", "location": "Town, ST", "method": "PUT", "page": "NextSong",
		"registration": 1540344794796.0, "sessionId": 1000 + n, "song": fmt.Sprintf("Song %d", n),
		"status": 200, "ts": baseTS + int64(n)*60000, "userAgent": "Mozilla/5.0", "userId": uid,
	}
}

// home returns a valid non-play event (page Home, no song).
func home(uid string, n int) obj {
	o := play(uid, n)
	o["page"], o["method"], o["artist"], o["song"], o["length"] = "Home", "GET", nil, nil, nil
	return o
}

// song returns a valid song record; n makes it unique.
func song(n int) obj {
	return obj{
		"num_songs": 1, "artist_id": fmt.Sprintf("ARTEST%04d", n), "artist_latitude": nil,
		"artist_longitude": nil, "artist_location": "", "artist_name": fmt.Sprintf("Artist %d", n),
		"song_id": fmt.Sprintf("SOTEST%04d", n), "title": fmt.Sprintf("Title %d", n),
		"duration": 100.25 + float64(n), "year": 2000 + n,
	}
}

// with returns a copy of o with key set to v (nil deletes the key when
// del is used instead).
func (o obj) with(key string, v any) obj {
	c := obj{}
	for k, x := range o {
		c[k] = x
	}
	c[key] = v
	return c
}

// without returns a copy of o without keys.
func (o obj) without(keys ...string) obj {
	c := obj{}
	for k, x := range o {
		if !slices.Contains(keys, k) {
			c[k] = x
		}
	}
	return c
}

// line renders o on one line, known keys in the sample's order, unknown
// ones after them, sorted.
func (o obj) line() string {
	order := eventKeys
	if _, ok := o["song_id"]; ok {
		order = songKeys
	}
	var extra []string
	for k := range o {
		if !slices.Contains(order, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	var b strings.Builder
	b.WriteByte('{')
	n := 0
	for _, k := range append(slices.Clone(order), extra...) {
		v, ok := o[k]
		if !ok {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteString(jsonText(k))
		b.WriteByte(':')
		if r, ok := v.(rawJSON); ok {
			b.WriteString(string(r))
		} else {
			b.WriteString(jsonText(v))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// pretty renders o indented over several lines, as some song files are.
func (o obj) pretty() string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(o.line()), "", "  "); err != nil {
		panic(err)
	}
	return b.String() + "\n"
}

func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonl joins lines with "\n" and ends the text with one.
func jsonl(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func canon(v any) string { return warehousetest.Canon(v) }
