package local

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestListSkipsWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "x.json"), 0o755)
	os.WriteFile(filepath.Join(dir, "x.json", "inner.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.json.gz"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	os.Symlink("loop.json", filepath.Join(dir, "loop.json"))
	d, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	var skipped []string
	objs, err := d.List(context.Background(), func(key, reason string) { skipped = append(skipped, key+": "+reason) })
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	if strings.Join(keys, ",") != "a.json.gz,x.json/inner.json" {
		t.Errorf("listed %v", keys)
	}
	sort.Strings(skipped)
	if len(skipped) != 2 || !strings.HasPrefix(skipped[0], "loop.json: ") || skipped[1] != "x.json: is a folder, not a file" {
		t.Errorf("skipped %q", skipped)
	}
}

func TestNamesInAnyBytesAreListedEscapedAndOpen(t *testing.T) {
	dir := t.TempDir()
	names := map[string]string{ // real name -> its escaped key
		"caf\xe9.json": `caf\xe9.json`,
		`a\b.json`:     `a\\b.json`,
		`a\xff.json`:   `a\\xff.json`, // the text, not a byte: must stay apart from the next
		"a\xff.json":   `a\xff.json`,
	}
	for name := range names {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := d.List(context.Background(), func(key, reason string) { t.Errorf("skipped %q: %s", key, reason) })
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != len(names) {
		t.Fatalf("listed %d files, want %d", len(objs), len(names))
	}
	for _, o := range objs {
		var real string
		for name, key := range names {
			if key == o.Key {
				real = name
			}
		}
		if real == "" {
			t.Errorf("listed key %q is no file's escaped name", o.Key)
			continue
		}
		if want := filepath.Join(dir, o.Key); o.URI != want {
			t.Errorf("uri %q, want %q", o.URI, want)
		}
		rc, err := d.Open(context.Background(), o)
		if err != nil {
			t.Errorf("open %q: %v", o.URI, err)
			continue
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if string(data) != real { // each file holds its own real name
			t.Errorf("%q read %q, want %q", o.Key, data, real)
		}
	}
}
