package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
)

// skeleton keeps a JSON text's keys, separators and white space and turns
// every value into V, so two files compare on format alone.
func skeleton(b []byte) string {
	var out strings.Builder
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == '"':
			j := i + 1
			for b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			k := j + 1
			if k < len(b) && b[k] == ':' {
				out.Write(b[i:k]) // a key
			} else {
				out.WriteByte('V')
			}
			i = k
		case c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z':
			for i < len(b) && bytes.IndexByte([]byte(",} \n"), b[i]) < 0 {
				i++
			}
			out.WriteByte('V')
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.String()
}

func readAll(t *testing.T, paths ...string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func sampleFiles(t *testing.T) (songs, logs []string) {
	dir := testutil.SampleDir(t)
	songs, _ = filepath.Glob(filepath.Join(dir, "song_data", "*", "*", "*", "*.json"))
	logs, _ = filepath.Glob(filepath.Join(dir, "log_data", "*", "*", "*.json"))
	if len(songs) == 0 || len(logs) == 0 {
		t.Fatal("sample has no files")
	}
	return songs, logs
}

// TestSongFilesFormatLikeSample: same key order, separators and white space
// as the real song files, no final newline, and the real folder rule.
func TestSongFilesFormatLikeSample(t *testing.T) {
	sampleSongs, _ := sampleFiles(t)
	want := skeleton(readAll(t, sampleSongs[0])[0])
	for _, raw := range readAll(t, sampleSongs...) {
		if skeleton(raw) != want {
			t.Fatalf("the sample's song files differ among themselves: %s", skeleton(raw))
		}
	}
	ds := moderate(t)
	for _, s := range ds.Songs {
		if got := skeleton(s.Raw); got != want {
			t.Fatalf("%s:\n got %s\nwant %s", s.Path, got, want)
		}
	}
	sampleDir := testutil.SampleDir(t)
	for _, p := range sampleSongs {
		rel, _ := filepath.Rel(sampleDir, p)
		checkSongPath(t, "sample", rel)
	}
	for _, s := range ds.Songs {
		checkSongPath(t, "generated", s.Path)
	}
}

var songPathRE = regexp.MustCompile(`^song_data/([A-Z])/([A-Z])/([A-Z])/(TR[A-Z0-9]{16})\.json$`)

func checkSongPath(t *testing.T, which, rel string) {
	t.Helper()
	m := songPathRE.FindStringSubmatch(filepath.ToSlash(rel))
	if m == nil {
		t.Fatalf("%s song file %s: not song_data/X/Y/Z/TR....json", which, rel)
	}
	if id := m[4]; m[1] != id[2:3] || m[2] != id[3:4] || m[3] != id[4:5] {
		t.Fatalf("%s song file %s: folders are not the 3rd-5th characters of the track id", which, rel)
	}
}

// TestLogFilesFormatLikeSample: each line has the sample's keys, order and
// separators; files end without a newline, hold one day in time order and
// are named after it.
func TestLogFilesFormatLikeSample(t *testing.T) {
	_, sampleLogs := sampleFiles(t)
	raws := readAll(t, sampleLogs...)
	want := skeleton(bytes.SplitN(raws[0], []byte("\n"), 2)[0])
	for _, raw := range raws {
		if raw[len(raw)-1] == '\n' {
			t.Fatal("a sample log ends with a newline; this test assumes they do not")
		}
	}
	ds := moderate(t)
	for _, rel := range ds.Logs {
		raw := readAll(t, filepath.Join(ds.Dir, rel))[0]
		if len(raw) == 0 || raw[len(raw)-1] != '}' {
			t.Errorf("%s does not end with its last object, as the sample's logs do", rel)
		}
	}
	prev := map[string]int64{}
	for _, e := range ds.Events {
		if got := skeleton([]byte(e.Raw)); got != want {
			t.Fatalf("%s:%d:\n got %s\nwant %s", e.File, e.Line, got, want)
		}
		name := filepath.ToSlash(e.File)
		d := day(e.TS)
		if wantName := "log_data/" + d[:4] + "/" + d[5:7] + "/" + d + "-events.json"; name != wantName {
			t.Fatalf("%s:%d: ts %d is on %s, so belongs in %s", e.File, e.Line, e.TS, d, wantName)
		}
		if e.TS < prev[e.File] {
			t.Fatalf("%s:%d: not in time order", e.File, e.Line)
		}
		prev[e.File] = e.TS
	}
}

// TestEscapingLikeSample: whatever escaping the sample's files use, the
// generated ones use too: no raw non-ASCII bytes, \uXXXX escapes (and the
// logs' garbled "Ã\u0083Â©"), every slash of the logs escaped, quoted user
// agents.
func TestEscapingLikeSample(t *testing.T) {
	sampleSongs, sampleLogs := sampleFiles(t)
	ds := moderate(t)
	var genSongs, genLogs []byte
	for _, s := range ds.Songs {
		genSongs = append(genSongs, s.Raw...)
	}
	for _, e := range ds.Events {
		genLogs = append(genLogs, e.Raw...)
	}
	checks := []struct {
		name     string
		present  func([]byte) bool
		logsOnly bool // the sample's song files have no slash to show the rule
	}{
		{"raw non-ASCII bytes", func(b []byte) bool { return !isASCII(string(b)) }, false},
		{`\u escapes`, func(b []byte) bool { return bytes.Contains(b, []byte(`\u00`)) }, false},
		{"garbled UTF-8", func(b []byte) bool { return bytes.Contains(b, []byte(`\u00c3\u0083\u00c2`)) }, false},
		{"unescaped slash", func(b []byte) bool { return regexp.MustCompile(`[^\\]/`).Match(b) }, true},
		{"escaped slash", func(b []byte) bool { return bytes.Contains(b, []byte(`\/`)) }, false},
		{"quoted user agent", func(b []byte) bool { return bytes.Contains(b, []byte(`"userAgent":"\"Mozilla\/5.0 (`)) }, false},
		{"unquoted user agent", func(b []byte) bool { return bytes.Contains(b, []byte(`"userAgent":"Mozilla\/5.0 (`)) }, false},
		{"registration as a float", func(b []byte) bool { return regexp.MustCompile(`"registration":\d+\.0,`).Match(b) }, false},
		{"user id as a string", func(b []byte) bool { return regexp.MustCompile(`"userId":"\d+"`).Match(b) }, false},
		{"logged-out user", func(b []byte) bool { return bytes.Contains(b, []byte(`"auth":"Logged Out"`)) }, false},
	}
	sample := map[string][]byte{"songs": bytes.Join(readAll(t, sampleSongs...), nil), "logs": bytes.Join(readAll(t, sampleLogs...), nil)}
	generated := map[string][]byte{"songs": genSongs, "logs": genLogs}
	for _, kind := range []string{"songs", "logs"} {
		for _, c := range checks {
			if c.logsOnly && kind == "songs" {
				continue
			}
			if want, got := c.present(sample[kind]), c.present(generated[kind]); want != got {
				t.Errorf("%s: %s: in the sample %v, generated %v", kind, c.name, want, got)
			}
		}
	}
}
