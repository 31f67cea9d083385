package generate

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/record"
)

// songFile is a generated song file as read back.
type songFile struct {
	Path string // relative to the data set
	Raw  []byte
	Song record.Song
}

// logEvent is a generated event line as read back.
type logEvent struct {
	File string // relative to the data set
	Line int64
	Raw  string
	record.Event
}

// dataSet is a generated tree read back with record's strict decoders.
type dataSet struct {
	Dir     string
	Summary *Summary
	Songs   []songFile
	Logs    []string // relative paths, sorted
	Events  []logEvent
}

// moderate is the set most tests share: big enough for stable shares (about
// 30,000 events), small enough to make in a fraction of a second.
func moderateOptions(dir string) Options {
	o := DefaultOptions(dir)
	o.Songs, o.Users, o.Days, o.EventsPerDay, o.Seed = 2000, 300, 5, 6000, 7
	return o
}

var (
	moderateOnce sync.Once
	moderateSet  *dataSet
	moderateErr  error
	moderateDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if moderateDir != "" {
		os.RemoveAll(moderateDir)
	}
	os.Exit(code)
}

// moderate returns the shared moderate data set, generated once.
func moderate(t *testing.T) *dataSet {
	t.Helper()
	moderateOnce.Do(func() {
		moderateDir, moderateErr = os.MkdirTemp("", "sparkify-generate-")
		if moderateErr != nil {
			return
		}
		moderateSet, moderateErr = generateAndRead(filepath.Join(moderateDir, "data"), moderateOptions(""))
	})
	if moderateErr != nil {
		t.Fatal(moderateErr)
	}
	return moderateSet
}

// generate runs the generator into a fresh folder under t.TempDir().
func generate(t testing.TB, o Options) (string, *Summary) {
	t.Helper()
	o.Dir = filepath.Join(t.TempDir(), "data")
	sum, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return o.Dir, sum
}

func generateAndRead(dir string, o Options) (*dataSet, error) {
	o.Dir = dir
	sum, err := Run(context.Background(), o)
	if err != nil {
		return nil, err
	}
	ds, err := readDataSet(dir)
	if err != nil {
		return nil, err
	}
	ds.Summary = sum
	return ds, nil
}

// readDataSet decodes every file of a data set with record's decoders; any
// reject or unknown field is an error.
func readDataSet(dir string) (*dataSet, error) {
	ds := &dataSet{Dir: dir}
	d := record.NewDecoder()
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case hasPrefixDir(rel, "song_data"):
			res, err := d.DecodeSongFile(bytes.NewReader(raw))
			if err != nil {
				return err
			}
			if len(res.Rejects) > 0 {
				return errors.New(rel + ": " + res.Rejects[0].Reason)
			}
			if len(res.Songs) != 1 {
				return errors.New(rel + ": want one song per file")
			}
			ds.Songs = append(ds.Songs, songFile{Path: rel, Raw: raw, Song: res.Songs[0]})
		case hasPrefixDir(rel, "log_data"):
			ds.Logs = append(ds.Logs, rel)
			l := record.NewLines(bytes.NewReader(raw))
			for {
				line, no, err := l.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return err
				}
				e := logEvent{File: rel, Line: no, Raw: string(line)}
				if err := d.DecodeEvent(line, &e.Event); err != nil {
					return errors.New(rel + ": " + err.Error())
				}
				ds.Events = append(ds.Events, e)
			}
		default:
			return errors.New("unexpected file " + rel)
		}
		return nil
	})
	if err == nil && len(d.UnknownFields()) > 0 {
		err = errors.New("unknown fields in generated data")
	}
	sort.Strings(ds.Logs)
	return ds, err
}

func hasPrefixDir(rel, dir string) bool {
	return len(rel) > len(dir) && rel[:len(dir)] == dir && rel[len(dir)] == filepath.Separator
}

// day returns the UTC date of a timestamp.
func day(ts int64) string { return time.UnixMilli(ts).UTC().Format(time.DateOnly) }
