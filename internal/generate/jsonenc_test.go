package generate

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/testutil"
)

// TestEncodersReproduceSample decodes every real song file and event line
// and re-encodes it: the bytes must be exactly the sample's, which pins key
// order, separators, escaping (\uXXXX, \/) and number formats to the real
// data rather than to what this package thinks they are.
func TestEncodersReproduceSample(t *testing.T) {
	dir := testutil.SampleDir(t)
	d := record.NewDecoder()
	songs, _ := filepath.Glob(filepath.Join(dir, "song_data", "*", "*", "*", "*.json"))
	if len(songs) == 0 {
		t.Fatal("no sample song files")
	}
	for _, p := range songs {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res, err := d.DecodeSongFile(bytes.NewReader(raw))
		if err != nil || len(res.Songs) != 1 {
			t.Fatalf("%s: %v %+v", p, err, res)
		}
		if got := appendSongJSON(nil, &res.Songs[0]); !bytes.Equal(got, raw) {
			t.Errorf("%s:\n got %s\nwant %s", p, got, raw)
		}
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "log_data", "*", "*", "*.json"))
	lines := 0
	for _, p := range logs {
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		l := record.NewLines(fh)
		for {
			line, no, err := l.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var ev record.Event
			if err := d.DecodeEvent(line, &ev); err != nil {
				t.Fatalf("%s:%d: %v", p, no, err)
			}
			if got := appendEventJSON(nil, &ev); !bytes.Equal(got, line) {
				t.Fatalf("%s:%d:\n got %s\nwant %s", p, no, got, line)
			}
			lines++
		}
		fh.Close()
	}
	if lines == 0 {
		t.Fatal("no sample event lines")
	}
}
