package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/iostreams"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// runCLITTY is runCLI with standard output on a terminal.
func runCLITTY(t *testing.T, args ...string) result {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	io.SetTTY(true, false, false)
	f := NewFactory(io, func(string) string { return "" })
	code := Execute(context.Background(), f, args)
	return result{out: out.String(), err: errOut.String(), code: code}
}

// fileFacts is what the files themselves say a load must list for each:
// its size and its records (non-blank lines; a song file is one record).
func fileFacts(t *testing.T, kind string, paths ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, l := range bytes.Split(raw, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines++
			}
		}
		if kind == "song" {
			lines = 1
		}
		out[kind+"|"+p] = fmt.Sprintf("%d|%d|%d|0", len(raw), lines, lines)
	}
	return out
}

func songFiles(t *testing.T, dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".json") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// parseFiles reads 'runs --files' TSV (no header) into kind|uri -> size|lines|loaded|rejected,
// checking every row names load.
func parseFiles(t *testing.T, out string, load string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		c := strings.Split(l, "\t")
		if len(c) != 8 || c[0] != load || len(c[7]) < 16 {
			t.Errorf("row %q: want 8 cells, load %s and a content fingerprint", l, load)
			continue
		}
		got[c[1]+"|"+c[2]] = strings.Join(c[3:7], "|")
	}
	return got
}

func sameFacts(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	keys := func(m map[string]string) string {
		var ks []string
		for k, v := range m {
			ks = append(ks, k+" "+v)
		}
		sort.Strings(ks)
		return strings.Join(ks, "\n  ")
	}
	if keys(got) != keys(want) {
		t.Errorf("%s lists:\n  %s\nthe files are:\n  %s", what, keys(got), keys(want))
	}
}

// TestRunsFiles: 'runs --files[=ID]' lists the files each load read, with
// the sizes and line counts of the files on disk, in every format.
func TestRunsFiles(t *testing.T) {
	data := warehousetest.CopySample(t, 2)
	wh := tempWarehouse(t)
	src := []string{"--songs", data.Songs, "--logs", data.Logs}

	if r := runCLI(t, nil, append([]string{"schema"}, wh...)...); r.code != 0 {
		t.Fatalf("schema: %s", r.err)
	}
	if r := runCLI(t, nil, append([]string{"runs", "--files", "--format", "table"}, wh...)...); r.code != 0 || !strings.Contains(r.out, "No load has read any file") {
		t.Errorf("before any load: exit %d %q %q", r.code, r.out, r.err)
	}
	if r := runCLI(t, nil, append(append([]string{"etl", "-q"}, src...), wh...)...); r.code != 0 {
		t.Fatalf("etl 1: %s", r.err)
	}
	logs := warehousetest.LogFiles(t, data.Logs)
	load1 := fileFacts(t, "song", songFiles(t, data.Songs)...)
	for k, v := range fileFacts(t, "log", logs[1]) {
		load1[k] = v
	}
	// Load 2 reads a new day and the first day, changed; the second day
	// and the songs stay load 1's.
	day3 := warehousetest.AddSampleDay(t, data, 3)
	raw, _ := os.ReadFile(logs[0])
	kept := bytes.SplitAfter(raw, []byte("\n"))
	os.WriteFile(logs[0], bytes.Join(kept[:len(kept)/2], nil), 0o644)
	future := time.Now().Add(time.Hour)
	os.Chtimes(logs[0], future, future)
	if r := runCLI(t, nil, append(append([]string{"etl", "-q"}, src...), wh...)...); r.code != 0 {
		t.Fatalf("etl 2: %s", r.err)
	}
	load2 := fileFacts(t, "log", logs[0], day3)

	r := runCLI(t, nil, append([]string{"runs", "--files"}, wh...)...)
	if r.code != 0 {
		t.Fatalf("runs --files: exit %d %s", r.code, r.err)
	}
	sameFacts(t, "runs --files (the latest load, TSV in a pipe)", parseFiles(t, r.out, "2"), load2)
	r = runCLI(t, nil, append([]string{"runs", "--files=1"}, wh...)...)
	sameFacts(t, "runs --files=1", parseFiles(t, r.out, "1"), load1)
	if len(load1) < 3 {
		t.Fatalf("load 1 should list the song files and one day: %v", load1)
	}

	r = runCLI(t, nil, append([]string{"runs", "--files=2", "--json"}, wh...)...)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil {
		t.Fatalf("--json: %v\n%s", err, r.out)
	}
	got := map[string]string{}
	for _, row := range rows {
		if row["load_id"] != float64(2) {
			t.Errorf("--json row of load %v", row["load_id"])
		}
		got[fmt.Sprintf("%s|%s", row["kind"], row["uri"])] = fmt.Sprintf("%v|%v|%v|%v", row["size"], row["lines"], row["loaded"], row["rejected"])
	}
	sameFacts(t, "runs --files=2 --json", got, load2)

	// On a terminal: a table, and --limit applies.
	r = runCLITTY(t, append([]string{"runs", "--files=1"}, wh...)...)
	rel, _ := filepath.Rel(data.Logs, logs[1])
	if r.code != 0 || strings.Contains(r.out, "\t") || !strings.Contains(strings.ToLower(r.out), "fingerprint") || !strings.Contains(r.out, " "+rel+" ") {
		t.Errorf("table on a terminal (files below --logs, like %s):\n%s", rel, r.out)
	}
	r = runCLITTY(t, append([]string{"runs", "--files=1", "--limit", "2"}, wh...)...)
	if n := strings.Count(strings.TrimSpace(r.out), "\n"); n != 2 {
		t.Errorf("--limit 2 shows %d files:\n%s", n, r.out)
	}
	if !strings.Contains(r.err, "--limit shows more") {
		t.Errorf("a cut list does not say so: %q", r.err)
	}

	if r := runCLI(t, nil, append([]string{"runs", "--files=99", "--format", "table"}, wh...)...); r.code != 0 || !strings.Contains(r.out, "Load 99 read no file") {
		t.Errorf("an unknown load: exit %d %q", r.code, r.out)
	}
	if r := runCLI(t, nil, append([]string{"runs", "--files", "--rejects"}, wh...)...); r.code != ExitUsage {
		t.Errorf("--files with --rejects: exit %d, want %d", r.code, ExitUsage)
	}
}

func TestRelativeURI(t *testing.T) {
	for _, c := range []struct{ uri, root, want string }{
		{"/data/log_data/2018/11/a.json", "/data/log_data", "2018/11/a.json"},
		{"/data/log_data/a.json", "/data/log_data/", "a.json"},
		{"s3://bucket/logs/2018/a.json", "s3://bucket/logs", "2018/a.json"},
		{"/data/log_data_old/a.json", "/data/log_data", "/data/log_data_old/a.json"}, // not below it
		{"/data/a.json", "", "/data/a.json"},
	} {
		if got := relativeURI(c.uri, c.root); got != c.want {
			t.Errorf("relativeURI(%q, %q) = %q, want %q", c.uri, c.root, got, c.want)
		}
	}
}

// TestRunsRejectsJSONGetsAll: --json is machine-readable, so it lists every
// rejected line, not the first --limit.
func TestRunsRejectsJSONGetsAll(t *testing.T) {
	dir := t.TempDir()
	const bad = 25 // more than the default --limit of 20
	os.WriteFile(filepath.Join(dir, "bad.json"), bytes.Repeat([]byte("not json\n"), bad), 0o644)
	wh := "duckdb:" + filepath.Join(dir, "w.duckdb")
	runCLI(t, nil, "etl", "-q", "--logs", dir, "--warehouse", wh)
	r := runCLI(t, nil, "runs", "--rejects", "--json", "--warehouse", wh)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil || len(rows) != bad {
		t.Errorf("runs --rejects --json: %d rows (%v), the file holds %d bad lines", len(rows), err, bad)
	}
}
