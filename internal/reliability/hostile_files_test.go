package reliability

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// fileCases are whole files that are odd or broken: truncated, compressed,
// empty, not files at all.
func fileCases(t *testing.T) []hcase {
	sample := warehousetest.LogFiles(t, filepath.Join(testutil.SampleDir(t), "log_data"))
	day1, err := os.ReadFile(sample[0])
	if err != nil {
		t.Fatal(err)
	}
	// Cut the real file in the middle of a line: the complete lines before
	// the cut load, the broken one is rejected.
	cut := len(day1) / 2
	for day1[cut-1] == '\n' || day1[cut] == '\n' {
		cut++
	}
	whole := int64(bytes.Count(day1[:cut], []byte("\n")))

	good := jsonl(play("1", 1).line(), play("1", 2).line(), home("1", 3).line(), play("2", 4).line())
	gz := gzipText(good)
	var many []string
	for i := range 2000 {
		many = append(many, play(fmt.Sprint(i%50), i).line())
	}
	// Long enough that the part before the cut holds whole lines.
	bigGz := gzipText(jsonl(many...))
	truncGz := bigGz[:len(bigGz)*2/3]
	badCRC := append([]byte{}, gz...)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 in the trailer

	prettySong := song(1).pretty()
	return []hcase{
		{
			name:    "real log file truncated mid-line",
			files:   []hfile{logf("2018/11/2018-11-01-events.json", string(day1[:cut]))},
			logs:    whole,
			rejects: []wantReject{rjLog("2018/11/2018-11-01-events.json", whole+1, "invalid JSON")},
		},
		{
			name:    "truncated last line without newline",
			files:   []hfile{logf("a.json", good+play("3", 5).line()[:40])},
			logs:    4,
			rejects: []wantReject{rjLog("a.json", 5, "invalid JSON")},
		},
		{
			name:  "no final newline, CRLF line ends and a byte-order mark",
			files: []hfile{logf("a.json", "\xEF\xBB\xBF"+strings.ReplaceAll(strings.TrimSuffix(good, "\n"), "\n", "\r\n"))},
			logs:  4,
		},
		{
			name: "empty files",
			files: []hfile{logf("empty.json", ""), logf("blank.json", "\n \n"),
				songf("A/empty.json", ""), songf("A/s.json", song(1).line())},
			songs:   1,
			rejects: []wantReject{rjSong("A/empty.json", 1, "empty file")},
		},
		{
			name:  "gzip",
			files: []hfile{logf("a.json.gz", string(gz)), songf("s.json.gz", string(gzipText(prettySong)))},
			songs: 1, logs: 4,
		},
		func() hcase {
			n := gunzippedLines(truncGz)
			if n == 0 {
				t.Fatal("the truncated gzip yields no whole line: make it longer")
			}
			return hcase{
				name:    "gzip truncated",
				files:   []hfile{logf("a.json.gz", string(truncGz))},
				logs:    n,
				rejects: []wantReject{rjLog("a.json.gz", n+1, "corrupt gzip")},
			}
		}(),
		func() hcase {
			n := gunzippedLines(badCRC)
			return hcase{
				name:    "gzip with a bad checksum",
				files:   []hfile{logf("a.json.gz", string(badCRC))},
				logs:    n,
				rejects: []wantReject{rjLog("a.json.gz", n+1, "corrupt gzip")},
			}
		}(),
		{
			name:    "gz name but not gzip",
			files:   []hfile{logf("a.json.gz", good), songf("s.json.gz", song(1).line())},
			rejects: []wantReject{rjLog("a.json.gz", 1, "corrupt gzip"), rjSong("s.json.gz", 1, "corrupt gzip")},
		},
		{
			name:  "the same file under two names",
			files: []hfile{logf("2018/11/2018-11-01-events.json", good), logf("backup/copy of events.json", good)},
			logs:  8,
			check: func(t *testing.T, r *caseRun) { wantCount(t, r, "songplays", 3) },
		},
		{
			name:  "folder named x.json, symlink loops, dangling symlink, other files",
			files: []hfile{logf("a.json", good), logf("notes.txt", "not data"), logf("UPPER.JSON", play("9", 9).line())},
			setup: func(t *testing.T, songs, logs string) {
				must(t, os.Mkdir(filepath.Join(logs, "x.json"), 0o755))
				must(t, os.Symlink("loop2.json", filepath.Join(logs, "loop1.json")))
				must(t, os.Symlink("loop1.json", filepath.Join(logs, "loop2.json")))
				must(t, os.Symlink(".", filepath.Join(logs, "self.json")))
				must(t, os.Symlink("missing.json", filepath.Join(logs, "dangling.json")))
			},
			logs:    5,
			skipped: []string{"loop1.json", "loop2.json", "self.json", "dangling.json"},
		},
		{
			name:    "pretty-printed, CRLF and JSON-lines song files",
			files:   []hfile{songf("A/p.json", prettySong), songf("A/crlf.json", strings.ReplaceAll(song(2).pretty(), "\n", "\r\n")), songf("A/lines.json", jsonl(song(3).line(), song(4).line(), song(5).without("title").line()))},
			songs:   4,
			rejects: []wantReject{rjSong("A/lines.json", 3, "field title")},
			check:   func(t *testing.T, r *caseRun) { wantCount(t, r, "songs", 4) },
		},
		{
			name: "truncated and broken song files",
			// The pretty file is cut after its 5th line: the error is at the end of the text.
			files: []hfile{songf("A/cut.json", strings.Join(strings.SplitAfter(prettySong, "\n")[:5], "")),
				songf("A/array.json", "["+song(1).line()+"]"),
				songf("A/year.json", song(2).with("year", "2000").line()),
				songf("A/noid.json", song(3).with("song_id", "").line()),
				songf("A/nan.json", song(4).with("artist_latitude", rawJSON("NaN")).line()),
				songf("A/nodur.json", song(5).without("duration").line()),
				songf("A/ok.json", song(6).line())},
			songs: 1,
			rejects: []wantReject{rjSong("A/cut.json", 5, "invalid JSON"), rjSong("A/array.json", 1, "not a JSON object"),
				rjSong("A/year.json", 1, "field year"), rjSong("A/noid.json", 1, "field song_id"),
				rjSong("A/nan.json", 1, "invalid JSON"), rjSong("A/nodur.json", 1, "field duration")},
		},
		{
			name:  "a 10 MB valid line",
			files: []hfile{logf("a.json", jsonl(play("1", 1).with("userAgent", strings.Repeat("é", 5<<20)).line(), play("1", 2).line()))},
			logs:  2,
			check: func(t *testing.T, r *caseRun) {
				wantRows(t, r, "SELECT LENGTH(useragent) FROM staging_events WHERE iteminsession = 1", "5242880")
			},
		},
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func gzipText(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

// gunzippedLines counts the complete lines a gzip stream yields before it
// breaks, read with the standard library independently of sparkify.
func gunzippedLines(data []byte) int64 {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return 0
	}
	var n int64
	br := bufio.NewReader(zr)
	for {
		_, err := br.ReadString('\n')
		if err != nil {
			return n
		}
		n++
	}
}
