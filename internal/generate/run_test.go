package generate

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// treeHash hashes every file's path and bytes, in path order.
func treeHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		h.Write([]byte(rel + "\x00"))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// TestSameSeedSameBytes: the same options give the same tree, however many
// workers write it; another seed gives another.
func TestSameSeedSameBytes(t *testing.T) {
	o := DefaultOptions("")
	o.Days, o.EventsPerDay = 4, 800
	o.Workers = 1
	a, _ := generate(t, o)
	o.Workers = 3
	b, _ := generate(t, o)
	o.Seed++
	c, _ := generate(t, o)
	if treeHash(t, a) != treeHash(t, b) {
		t.Error("same seed, one and three workers: different bytes")
	}
	if treeHash(t, a) == treeHash(t, c) {
		t.Error("different seeds: same bytes")
	}
}

func TestRefusesNonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "README")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "log_data", "old.json")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("{}"), 0o644)

	o := DefaultOptions(dir)
	if _, err := Run(context.Background(), o); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("non-empty folder: err = %v, want ErrNotEmpty", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "song_data")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("refused run wrote song_data")
	}
	o.Force = true
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Error("--force kept a stale log file: the data sets would mix")
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "mine" {
		t.Errorf("--force touched a file that is not part of a data set: %q %v", b, err)
	}
}

func TestInvalidOptions(t *testing.T) {
	cases := map[string]func(*Options){
		"no dir":           func(o *Options) { o.Dir = "" },
		"no songs":         func(o *Options) { o.Songs = 0 },
		"too many artists": func(o *Options) { o.Artists = o.Songs + 1 },
		"no users":         func(o *Options) { o.Users = 0 },
		"no days":          func(o *Options) { o.Days = 0 },
		"negative events":  func(o *Options) { o.EventsPerDay = -1 },
		"match rate > 1":   func(o *Options) { o.MatchRate = 1.5 },
		"events per user":  func(o *Options) { o.Users, o.EventsPerDay = 1, 1_000_000 },
	}
	for name, mutate := range cases {
		o := DefaultOptions(filepath.Join(t.TempDir(), "data"))
		mutate(&o)
		if _, err := Run(context.Background(), o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%s: err = %v, want ErrInvalidOptions", name, err)
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := DefaultOptions(filepath.Join(t.TempDir(), "data"))
	if _, err := Run(ctx, o); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestZeroEvents: a catalog with empty logs is a valid (if dull) data set.
func TestZeroEvents(t *testing.T) {
	o := DefaultOptions("")
	o.EventsPerDay = 0
	dir := filepath.Join(t.TempDir(), "data")
	ds, err := generateAndRead(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Events) != 0 || len(ds.Logs) != o.Days || len(ds.Songs) != o.Songs {
		t.Errorf("%d events in %d logs, %d songs", len(ds.Events), len(ds.Logs), len(ds.Songs))
	}
}

// BenchmarkGenerate writes a moderate set (about 100,000 events) per
// iteration; b.SetBytes makes -bench report MB/s.
func BenchmarkGenerate(b *testing.B) {
	o := DefaultOptions("")
	o.Songs, o.Users, o.Days, o.EventsPerDay = 5000, 1000, 5, 20000
	var written int64
	for b.Loop() {
		o.Dir = filepath.Join(b.TempDir(), "data")
		sum, err := Run(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		written = sum.Bytes
		b.StopTimer()
		os.RemoveAll(o.Dir)
		b.StartTimer()
	}
	b.SetBytes(written)
}
