package record

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
)

const goodEvent = `{"artist":"Des'ree","auth":"Logged In","firstName":"Kaylee","gender":"F","itemInSession":1,"lastName":"Summers","length":246.30812,"level":"free","location":"Phoenix-Mesa-Scottsdale, AZ","method":"PUT","page":"NextSong","registration":1540344794796.0,"sessionId":139,"song":"You Gotta Be","status":200,"ts":1541106106796,"userAgent":"\"Mozilla\/5.0 (Windows NT 6.1; WOW64)\"","userId":"8"}`

func TestDecodeEventFields(t *testing.T) {
	d := NewDecoder()
	var ev Event
	if err := d.DecodeEvent([]byte(goodEvent), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.TS != 1541106106796 || ev.UserID != "8" || ev.SessionID != 139 || ev.ItemInSession != 1 {
		t.Errorf("ints/ids wrong: %+v", ev)
	}
	if ev.Artist.S != "Des'ree" || !ev.Length.Valid || ev.Length.F != 246.30812 || ev.Registration.F != 1540344794796 {
		t.Errorf("values wrong: %+v", ev)
	}
	if ev.UserAgent.S != `"Mozilla/5.0 (Windows NT 6.1; WOW64)"` {
		t.Errorf("escaped slashes not decoded: %q", ev.UserAgent.S)
	}
	if got := ev.StartTime().Format("2006-01-02T15:04:05.000Z07:00"); got != "2018-11-01T21:01:46.796Z" {
		t.Errorf("start time %s", got)
	}
	if !ev.IsPlay() || ev.Extra != "" {
		t.Errorf("play=%v extra=%q", ev.IsPlay(), ev.Extra)
	}
}

func TestDecodeEventRejects(t *testing.T) {
	cases := map[string]struct{ line, reason string }{
		"not json":       {`{"ts":`, "invalid JSON"},
		"array":          {`[1,2]`, "not a JSON object: got an array"},
		"number":         {`42`, "not a JSON object: got a number"},
		"missing ts":     {strings.Replace(goodEvent, `"ts":1541106106796,`, "", 1), "field ts: missing"},
		"numeric userId": {strings.Replace(goodEvent, `"userId":"8"`, `"userId":8`, 1), "field userId: want a string, got a number"},
		"string ts":      {strings.Replace(goodEvent, `"ts":1541106106796`, `"ts":"1541106106796"`, 1), "field ts: want a whole number, got a string"},
		"future ts":      {strings.Replace(goodEvent, `"ts":1541106106796`, `"ts":99999999999999`, 1), "field ts: 99999999999999 is out of range"},
		"negative ts":    {strings.Replace(goodEvent, `"ts":1541106106796`, `"ts":-5`, 1), "field ts: -5 is out of range"},
		"NaN":            {strings.Replace(goodEvent, `246.30812`, `NaN`, 1), "invalid JSON"},
		"huge number":    {strings.Replace(goodEvent, `246.30812`, `1e400`, 1), "field length: 1e400 is not a finite number"},
		"object scalar":  {strings.Replace(goodEvent, `"level":"free"`, `"level":{"a":1}`, 1), "field level: want a string, got an object"},
		"no song":        {strings.Replace(goodEvent, `"song":"You Gotta Be"`, `"song":null`, 1), "field song: missing on a NextSong event"},
		"dup field":      {strings.Replace(goodEvent, `"level":"free"`, `"level":"free","level":"paid"`, 1), "field level appears twice"},
		"bad utf8":       {strings.Replace(goodEvent, "Kaylee", "Kay\xffee", 1), "invalid UTF-8 at byte"},
		"NUL":            {strings.Replace(goodEvent, "Kaylee", `Kay\u0000ee`, 1), "NUL character"},
		"lone surrogate": {strings.Replace(goodEvent, "Kaylee", `Kay\ud800lee`, 1), `\ud800 is a lone UTF-16 surrogate`},
		"low surrogate":  {strings.Replace(goodEvent, "Kaylee", `\\\udc00`, 1), `\udc00 is a lone UTF-16 surrogate`},
		"too deep":       {strings.Replace(goodEvent, `"userId":"8"`, `"userId":"8","x":`+strings.Repeat("[", 400)+strings.Repeat("]", 400), 1), "invalid JSON: nested deeper than 300 levels"},
		"raw control":    {strings.Replace(goodEvent, "Kaylee", "K\x01\\nee", 1), "invalid control character 0x1 in string"},
		"fraction":       {strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":139.5`, 1), "field sessionId: 139.5 is not a whole number"},
		// 2^63 = 9223372036854775808 is one past int64's largest value.
		"sessionId 2^63":       {strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":9223372036854775808`, 1), "field sessionId: 9223372036854775808 is out of range"},
		"sessionId -2^63-1":    {strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":-9223372036854775809`, 1), "field sessionId: -9223372036854775809 is out of range"},
		"sessionId 20 digits":  {strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":12345678901234567890`, 1), "field sessionId: 12345678901234567890 is out of range"},
		"sessionId 1e19":       {strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":1e19`, 1), "field sessionId: 1e19 is out of range"},
		"sessionId 1e400":      {strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":-1e400`, 1), "field sessionId: -1e400 is out of range"},
		"sessionId inexact":    {strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":9007199254740993.0`, 1), "field sessionId: 9007199254740993.0 is not exact"},
		"itemInSession 2^31":   {strings.Replace(goodEvent, `"itemInSession":1`, `"itemInSession":2147483648`, 1), "field itemInSession: 2147483648 is out of range"},
		"itemInSession 3.0e10": {strings.Replace(goodEvent, `"itemInSession":1`, `"itemInSession":3.0e10`, 1), "field itemInSession: 3.0e10 is out of range"},
		"ts 2^64":              {strings.Replace(goodEvent, `"ts":1541106106796`, `"ts":18446744073709551616`, 1), "field ts: 18446744073709551616 is out of range"},
		"status 1e10":          {strings.Replace(goodEvent, `"status":200`, `"status":1e10`, 1), "field status: 1e10 is out of range"},
	}
	d := NewDecoder()
	for name, c := range cases {
		var ev Event
		err := d.DecodeEvent([]byte(c.line), &ev)
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: err = %v, want it to contain %q", name, err, c.reason)
		}
	}
}

func TestDecodeEventIntegerLimits(t *testing.T) {
	// The ends of int64 itself are whole numbers in range for sessionId.
	d := NewDecoder()
	for text, want := range map[string]int64{
		"9223372036854775807":  math.MaxInt64,
		"-9223372036854775808": math.MinInt64,
		"9007199254740991.0":   1<<53 - 1,
	} {
		var ev Event
		line := strings.Replace(goodEvent, `"sessionId":139`, `"sessionId":`+text, 1)
		if err := d.DecodeEvent([]byte(line), &ev); err != nil || ev.SessionID != want {
			t.Errorf("sessionId %s: got %d, %v; want %d", text, ev.SessionID, err, want)
		}
	}
}

func TestDecodeEventSurrogatePairsAndEscapedBackslashes(t *testing.T) {
	d := NewDecoder()
	var ev Event
	line := strings.Replace(goodEvent, `"Kaylee"`, `"\ud83c\udfa7 \\ud800 \u00e9"`, 1)
	if err := d.DecodeEvent([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.FirstName.S != "\U0001F3A7 \\ud800 é" {
		t.Errorf("firstName = %q", ev.FirstName.S)
	}
}

func TestDecodeEventKeepsUnknownFields(t *testing.T) {
	d := NewDecoder()
	var ev Event
	line := strings.Replace(goodEvent, `"userId":"8"`, `"userId":"8","device":{"os":"ios"},"experiment":"b"`, 1)
	if err := d.DecodeEvent([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Extra != `{"device":{"os":"ios"},"experiment":"b"}` {
		t.Errorf("extra = %s", ev.Extra)
	}
	if got := strings.Join(d.UnknownFields(), ","); got != "device,experiment" {
		t.Errorf("unknown fields = %s", got)
	}
}

func TestEventIDIsMD5Prefix(t *testing.T) {
	// Derived outside Go: printf '1541106106796|8|139|1' | md5sum gives
	// 7cb7d09b2bc0aa6bfd27e18fd4875f5e; int('7cb7d09b2bc0aa6', 16) in Python
	// is 561680059144604326.
	if got := EventID(1541106106796, "8", 139, 1); got != 561680059144604326 {
		t.Errorf("EventID = %d, want 561680059144604326", got)
	}
	if EventID(1541106106796, "9", 139, 1) == EventID(1541106106796, "8", 139, 1) {
		t.Error("two users at the same millisecond got the same id")
	}
}

func TestLinesBOMCRLFNoFinalNewline(t *testing.T) {
	in := "\xEF\xBB\xBF{\"a\":1}\r\n\r\n{\"b\":2}"
	l := NewLines(strings.NewReader(in))
	var got []string
	for {
		line, no, err := l.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(rune('0'+no))+":"+string(line))
	}
	if strings.Join(got, "|") != `1:{"a":1}|2:|3:{"b":2}` {
		t.Errorf("lines = %q", got)
	}
}

func TestLinesTooLong(t *testing.T) {
	big := strings.Repeat("x", MaxLine+10)
	l := NewLines(strings.NewReader("{}\n" + big + "\n{}"))
	_, _, err1 := l.Next()
	_, no, err2 := l.Next()
	line3, no3, err3 := l.Next()
	if err1 != nil || !errors.Is(err2, ErrLineTooLong) || no != 2 || err3 != nil || no3 != 3 || string(line3) != "{}" {
		t.Errorf("got %v; %v %d; %v %d %q", err1, err2, no, err3, no3, line3)
	}
}

func TestCorruptGzipIsBadInput(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(strings.Repeat(goodEvent+"\n", 50)))
	zw.Close()
	b := buf.Bytes()
	b = b[:len(b)/2] // truncated
	r, err := Decompress(bytes.NewReader(b), "x.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(r)
	if !IsCorrupt(err) {
		t.Errorf("err = %v, want a CorruptError", err)
	}
	if _, err := Decompress(strings.NewReader("not gzip"), "y.json.gz"); !IsCorrupt(err) {
		t.Errorf("bad header: err = %v", err)
	}
}

func TestSongFiles(t *testing.T) {
	d := NewDecoder()
	pretty := "{\n  \"num_songs\": 1,\n  \"artist_id\": \"AR1\",\n  \"artist_latitude\": null,\n  \"artist_longitude\": null,\n  \"artist_location\": \"\",\n  \"artist_name\": \"A\",\n  \"song_id\": \"SO1\",\n  \"title\": \"T\",\n  \"duration\": 1.5,\n  \"year\": 0\n}\n"
	res, err := d.DecodeSongFile(strings.NewReader(pretty))
	if err != nil || len(res.Songs) != 1 || res.Read != 1 || res.Songs[0].SongID != "SO1" || res.Songs[0].Year.I != 0 || !res.Songs[0].Year.Valid {
		t.Fatalf("pretty: %+v %v", res, err)
	}
	res, _ = d.DecodeSongFile(strings.NewReader(""))
	if len(res.Rejects) != 1 || res.Rejects[0].Reason != "empty file" {
		t.Errorf("empty: %+v", res)
	}
	broken := "{\n  \"song_id\": \"SO1\",\n  \"title\": \n"
	res, _ = d.DecodeSongFile(strings.NewReader(broken))
	if len(res.Rejects) != 1 || res.Rejects[0].Line != 3 {
		t.Errorf("broken: %+v, want a reject on line 3", res.Rejects)
	}
	lines := `{"artist_id":"AR1","artist_name":"A","song_id":"S1","title":"T","duration":1}` + "\n" + `{"artist_id":"AR2"}` + "\n"
	res, _ = d.DecodeSongFile(strings.NewReader(lines))
	if len(res.Songs) != 1 || len(res.Rejects) != 1 || res.Rejects[0].Line != 2 || res.Read != 2 {
		t.Errorf("json lines: %+v", res)
	}
}

// TestRealSampleDecodes checks every line of the public sample decodes: the
// counts (8056 events, 6820 NextSong, 71 songs) were taken from the raw
// files with `wc -l`/grep and Python's json module.
func TestRealSampleDecodes(t *testing.T) {
	dir := testutil.SampleDir(t)
	d := NewDecoder()
	events, plays := 0, 0
	logs, _ := filepath.Glob(filepath.Join(dir, "log_data", "*", "*", "*.json"))
	for _, f := range logs {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		l := NewLines(fh)
		for {
			line, no, err := l.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var ev Event
			if err := d.DecodeEvent(line, &ev); err != nil {
				t.Fatalf("%s:%d: %v", f, no, err)
			}
			events++
			if ev.IsPlay() {
				plays++
			}
		}
		fh.Close()
	}
	songs := 0
	filepath.WalkDir(filepath.Join(dir, "song_data"), func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		fh, _ := os.Open(p)
		defer fh.Close()
		res, err := d.DecodeSongFile(fh)
		if err != nil || len(res.Rejects) > 0 {
			t.Fatalf("%s: %v %+v", p, err, res.Rejects)
		}
		songs += len(res.Songs)
		return nil
	})
	if events != 8056 || plays != 6820 || songs != 71 {
		t.Errorf("events %d plays %d songs %d; want 8056 6820 71", events, plays, songs)
	}
}

func TestKeyTablesMatchIndexes(t *testing.T) {
	for i, k := range eventKeys {
		if eventIndex([]byte(k)) != i {
			t.Errorf("event key %s is at %d, index says %d", k, i, eventIndex([]byte(k)))
		}
	}
	for i, k := range songKeys {
		if songIndex([]byte(k)) != i {
			t.Errorf("song key %s is at %d, index says %d", k, i, songIndex([]byte(k)))
		}
	}
	// Keys in another order, escaped, or repeated decode the same way.
	d := NewDecoder()
	var a, b Event
	d.DecodeEvent([]byte(goodEvent), &a)
	shuffled := `{"userId":"8","ts":1541106106796,"sessionId":139,"itemInSession":1,"page":"NextSong","level":"free","song":"You Gotta Be","artist":"Des'ree","length":246.30812,"auth":"Logged In","firstName":"Kaylee","gender":"F","lastName":"Summers","location":"Phoenix-Mesa-Scottsdale, AZ","method":"PUT","registration":1540344794796.0,"status":200,"user\u0041gent":"\"Mozilla\/5.0 (Windows NT 6.1; WOW64)\""}`
	if err := d.DecodeEvent([]byte(shuffled), &b); err != nil || a != b {
		t.Errorf("shuffled keys: %v\n%+v\n%+v", err, a, b)
	}
}
