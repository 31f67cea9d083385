package local

import (
	"context"
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
