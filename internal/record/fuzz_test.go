package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sparkify/sparkify/internal/testutil"
)

// sampleSeeds adds lines of the real sample to a fuzz corpus: the first
// lines of the first log files and whole song files. Without the sample
// (outside the repository's layout) the fuzz targets start from their
// hand-written seeds only.
func sampleSeeds(f *testing.F, kind string, max int) {
	dir := os.Getenv("SPARKIFY_SAMPLE")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "sparkify-sample")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("SPARKIFY_REQUIRE_SAMPLE") != "" {
			testutil.SampleDir(f) // fails with the reason
		}
		return
	}
	n := 0
	filepath.WalkDir(filepath.Join(dir, kind), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || n >= max {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if kind == "song_data" {
			f.Add(data)
			n++
			return nil
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() && n < max {
			f.Add(bytes.Clone(sc.Bytes()))
			n++
		}
		return nil
	})
}

// FuzzDecodeEvent: the event decoder never panics; every rejection has a
// reason; an accepted line is valid JSON whose values encoding/json reads
// the same, and the decoded event re-encodes to a line that decodes to the
// same event.
func FuzzDecodeEvent(f *testing.F) {
	sampleSeeds(f, "log_data", 60)
	for _, s := range []string{goodEvent, `[1]`, `{"ts":1e400}`, `{"ts":"1"}`, strings.Replace(goodEvent, "Kaylee", `\ud83c\udfa7\ud800`, 1),
		strings.Replace(goodEvent, `"userId":"8"`, `"userId":"8","x":{"y":[1,null]}`, 1)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		d := NewDecoder()
		var ev Event
		if err := d.DecodeEvent(line, &ev); err != nil {
			checkReason(t, err)
			return
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("accepted a line encoding/json rejects: %v", err)
		}
		for name, got := range map[string]NullString{"userId": {ev.UserID, true}, "page": {ev.Page, true},
			"level": {ev.Level, true}, "artist": ev.Artist, "song": ev.Song, "firstName": ev.FirstName,
			"lastName": ev.LastName, "location": ev.Location, "userAgent": ev.UserAgent, "auth": ev.Auth,
			"gender": ev.Gender, "method": ev.Method} {
			want, _ := m[name].(string)
			if got.Valid != (m[name] != nil) || got.S != want {
				t.Fatalf("%s = %q (valid %v), encoding/json reads %#v", name, got.S, got.Valid, m[name])
			}
		}
		for name, got := range map[string]int64{"ts": ev.TS, "sessionId": ev.SessionID, "itemInSession": ev.ItemInSession} {
			want, err := m[name].(json.Number).Float64()
			if err != nil || float64(got) != want {
				t.Fatalf("%s = %d, encoding/json reads %v", name, got, m[name])
			}
		}
		again := encodeEvent(t, &ev)
		var ev2 Event
		if err := NewDecoder().DecodeEvent(again, &ev2); err != nil {
			t.Fatalf("re-encoded event rejected: %v\n%s", err, again)
		}
		if ev2 != ev {
			t.Fatalf("round trip changed the event:\n%+v\n%+v", ev, ev2)
		}
	})
}

// FuzzDecodeSong: the song decoder never panics; rejections have reasons;
// an accepted song re-encodes to a line that decodes to the same song.
func FuzzDecodeSong(f *testing.F) {
	sampleSeeds(f, "song_data", 40)
	f.Add([]byte(`{"artist_id":"AR1","artist_name":"A","song_id":"S1","title":"T","duration":1,"year":null,"artist_latitude":-0.0}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Song
		if err := NewDecoder().DecodeSong(data, &s); err != nil {
			checkReason(t, err)
			return
		}
		again := encodeSong(t, &s)
		var s2 Song
		if err := NewDecoder().DecodeSong(again, &s2); err != nil {
			t.Fatalf("re-encoded song rejected: %v\n%s", err, again)
		}
		if s2 != s {
			t.Fatalf("round trip changed the song:\n%+v\n%+v", s, s2)
		}
	})
}

// FuzzDecodeSongFile: a song file of any shape is songs plus rejects, each
// reject with a reason and a line, and Read counts them all.
func FuzzDecodeSongFile(f *testing.F) {
	sampleSeeds(f, "song_data", 20)
	f.Add([]byte("{\n  \"song_id\": \"S\",\n  \"title\": \n"))
	f.Add([]byte("\xEF\xBB\xBF{\"a\":1}\r\n{\"b\":2}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := NewDecoder().DecodeSongFile(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("in-memory song file gave an I/O error: %v", err)
		}
		if res.Read != int64(len(res.Songs)+len(res.Rejects)) || len(res.Lines) != len(res.Songs) {
			t.Fatalf("read %d, songs %d, lines %d, rejects %d", res.Read, len(res.Songs), len(res.Lines), len(res.Rejects))
		}
		nl := int64(bytes.Count(data, []byte("\n"))) + 1
		for _, r := range res.Rejects {
			if r.Reason == "" || r.Line < 1 || r.Line > nl || len(r.Raw) > MaxRawLen*3 || !utf8.ValidString(r.Raw) {
				t.Fatalf("bad reject %+v (file has %d lines)", r, nl)
			}
		}
	})
}

// FuzzLines: the line reader returns exactly the file's lines, numbered
// from 1, without the BOM of the first, the CR of CRLF and the final
// newline, as splitting the bytes does.
func FuzzLines(f *testing.F) {
	sampleSeeds(f, "log_data", 5)
	for _, s := range []string{"", "\n", "a", "\r\n\r\n", "\xEF\xBB\xBFx\r\ny", "a\rb\n", "\xEF\xBB\xBF"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want []string
		if len(data) > 0 {
			want = strings.Split(string(bytes.TrimPrefix(data, bom)), "\n")
			if data[len(data)-1] == '\n' {
				want = want[:len(want)-1]
			}
			for i := range want {
				want[i] = strings.TrimSuffix(want[i], "\r")
			}
		}
		l := NewLines(bytes.NewReader(data))
		var got []string
		for i := 0; i <= len(data)+1; i++ {
			line, no, err := l.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("line %d: %v", no, err)
			}
			if no != int64(len(got))+1 {
				t.Fatalf("line numbered %d after %d lines", no, len(got))
			}
			got = append(got, string(line))
		}
		if strings.Join(got, "\x00|") != strings.Join(want, "\x00|") || len(got) != len(want) {
			t.Fatalf("lines %q, want %q", got, want)
		}
	})
}

func checkReason(t *testing.T, err error) {
	t.Helper()
	if strings.TrimSpace(err.Error()) == "" {
		t.Fatal("rejected without a reason")
	}
	if !utf8.ValidString(err.Error()) {
		t.Fatalf("reason is not valid UTF-8: %q", err.Error())
	}
}

// encodeEvent writes an event back as JSON, with encoding/json.
func encodeEvent(t *testing.T, e *Event) []byte {
	m := map[string]any{"ts": e.TS, "userId": e.UserID, "sessionId": e.SessionID, "itemInSession": e.ItemInSession,
		"page": e.Page, "level": e.Level, "artist": e.Artist.Value(), "auth": e.Auth.Value(), "firstName": e.FirstName.Value(),
		"gender": e.Gender.Value(), "lastName": e.LastName.Value(), "location": e.Location.Value(), "method": e.Method.Value(),
		"song": e.Song.Value(), "userAgent": e.UserAgent.Value(), "length": floatValue(e.Length), "registration": floatValue(e.Registration),
		"status": e.Status.Value()}
	return withExtra(t, m, e.Extra)
}

func encodeSong(t *testing.T, s *Song) []byte {
	m := map[string]any{"song_id": s.SongID, "title": s.Title, "artist_id": s.ArtistID, "artist_name": s.ArtistName,
		"duration": json.Number(formatFloat(s.Duration)), "year": s.Year.Value(), "num_songs": s.NumSongs.Value(),
		"artist_latitude": floatValue(s.ArtistLatitude), "artist_longitude": floatValue(s.ArtistLongitude),
		"artist_location": s.ArtistLocation.Value()}
	return withExtra(t, m, s.Extra)
}

// floatValue keeps -0 and every digit: encoding/json would write -0 as 0.
func floatValue(n NullFloat) any {
	if !n.Valid {
		return nil
	}
	return json.Number(formatFloat(n.F))
}

func formatFloat(f float64) string {
	if f == 0 && math.Signbit(f) {
		return "-0.0"
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// withExtra marshals m and appends the Extra object's fields.
func withExtra(t *testing.T, m map[string]any, extra string) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	if extra == "" {
		return b
	}
	if len(extra) < 2 || extra[0] != '{' || extra[len(extra)-1] != '}' {
		t.Fatalf("extra is not an object: %q", extra)
	}
	return append(append(b[:len(b)-1], ','), extra[1:]...)
}
