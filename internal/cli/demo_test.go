package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	data := filepath.Join(t.TempDir(), "demo")
	wh := tempWarehouse(t)
	r := runCLI(t, nil, append([]string{"demo", "--data", data}, wh...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	for _, want := range []string{"Generated 200 song files", "Loaded 230 files", "TITLE", "ARTIST", "PLAYS", "Data-quality checks: pass"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, r.out)
		}
	}
	// Top songs are catalog plays: five rows under the first table header.
	top := strings.Split(strings.SplitN(r.out, "TITLE", 2)[1], "\n\n")[0]
	if n := len(strings.Split(strings.TrimSpace(top), "\n")); n != 6 {
		t.Errorf("top songs table has %d lines, want a header and 5 rows:\n%s", n, top)
	}
	r = runCLI(t, nil, append([]string{"demo", "--data", data}, wh...)...)
	if r.code != 0 || !strings.Contains(r.out, "Reusing the demo data") || !strings.Contains(r.out, "Nothing new to load") {
		t.Errorf("second demo: exit %d\n%s", r.code, r.out)
	}
}

func TestWatchFlags(t *testing.T) {
	r := runCLI(t, nil, "watch", "--interval", "0s", "--logs", t.TempDir())
	if r.code != ExitUsage {
		t.Errorf("zero interval: exit %d %q", r.code, r.err)
	}
}
