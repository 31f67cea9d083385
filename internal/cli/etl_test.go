package cli

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/iostreams"

	"github.com/sparkify/sparkify/internal/pipeline"
)

func TestETLFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"etl", "--max-rejects", "-1", "--songs", "x"},
		{"etl", "--bogus"},
		{"etl", "extra-arg"},
	} {
		r := runCLI(t, nil, args...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, ExitUsage, r.err)
		}
	}
}

func TestETLSummaryThenNoop(t *testing.T) {
	wh := tempWarehouse(t)
	args := append(append([]string{"etl"}, sampleArgs(t)...), wh...)
	r := runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	// 8056 event lines and 6820 NextSong plays: counted in the raw files
	// with grep (see internal/record's sample test).
	for _, want := range []string{"Loaded 101 files", "8056", "songplays", "+6820"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.out)
		}
	}
	r = runCLI(t, nil, args...)
	if r.code != 0 || !strings.Contains(r.out, "Nothing new to load: 101 files unchanged") {
		t.Errorf("rerun: exit %d, out %q", r.code, r.out)
	}
}

func TestETLJSON(t *testing.T) {
	wh := tempWarehouse(t)
	r := runCLI(t, nil, append(append([]string{"etl", "--json"}, sampleArgs(t)...), wh...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var res pipeline.Result
	if err := json.Unmarshal([]byte(r.out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if res.Status != "succeeded" || res.Table("songplays").Rows != 6820 || res.Source("log").LinesRead != 8056 {
		t.Errorf("result %+v", res)
	}
}

func TestETLFromDwhCfg(t *testing.T) {
	dir := t.TempDir()
	sample := sampleArgs(t)
	cfg := filepath.Join(dir, "dwh.cfg")
	os.WriteFile(cfg, []byte("[S3]\nSONG_DATA='"+sample[1]+"'\nLOG_DATA='"+sample[3]+"'\n"), 0o644)
	r := runCLI(t, nil, "etl", "--config", cfg, "--warehouse", "duckdb:"+filepath.Join(dir, "w.duckdb"), "--json")
	if r.code != 0 || !strings.Contains(r.out, `"lines_read": 8056`) {
		t.Errorf("exit %d, out %s, err %s", r.code, r.out, r.err)
	}
}

func TestETLRejectsFailAndAreListed(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{\"ts\":1}\nnot json\n"), 0o644)
	wh := "duckdb:" + filepath.Join(dir, "w.duckdb")
	r := runCLI(t, nil, "etl", "--logs", dir, "--warehouse", wh)
	if r.code != ExitFailure || !strings.Contains(r.err, "too many rejected lines") || !strings.Contains(r.err, "bad.json:2: invalid JSON") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.err)
	}
	r = runCLI(t, nil, "runs", "--rejects", "--format", "csv", "--warehouse", wh)
	if r.code != 0 || strings.Count(r.out, "bad.json") != 2 || !strings.Contains(r.out, "field userId: missing") {
		t.Errorf("runs --rejects: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

func TestETLNoSources(t *testing.T) {
	r := runCLI(t, nil, append([]string{"etl"}, tempWarehouse(t)...)...)
	if r.code != ExitFailure || !strings.Contains(r.err, "--songs and --logs") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
}

// TestProgressOnlyOnATerminal: etl draws its progress line (carriage
// returns and line clears) on stderr only when stderr is a terminal, and
// not with --quiet; in a pipe stderr holds no control characters.
func TestProgressOnlyOnATerminal(t *testing.T) {
	for _, c := range []struct {
		name     string
		tty      bool
		args     []string
		progress bool
	}{
		{"terminal", true, nil, true},
		{"terminal, --quiet", true, []string{"--quiet"}, false},
		{"pipe", false, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			io, _, out, errOut := iostreams.Test()
			io.SetTTY(c.tty, c.tty, false)
			f := NewFactory(io, func(string) string { return "" })
			args := append(append(append([]string{"etl"}, c.args...), sampleArgs(t)...), tempWarehouse(t)...)
			if code := Execute(context.Background(), f, args); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			drew := strings.Contains(errOut.String(), "\r\033[K")
			if drew != c.progress {
				t.Errorf("progress drawn: %v, want %v; stderr %q", drew, c.progress, errOut.String())
			}
			if !c.progress && strings.ContainsAny(errOut.String(), "\r\033") {
				t.Errorf("control characters on stderr: %q", errOut.String())
			}
			if quiet := len(c.args) > 0; quiet == strings.Contains(out.String(), "songplays") {
				t.Errorf("quiet %v, summary on stdout: %q", quiet, out.String())
			}
		})
	}
}

// TestHintForABrokenConnection: a load cut off by a dead server (the
// driver's ErrBadConn, wrapped by the load's step) gets a hint that says
// what happened and what to do.
func TestHintForABrokenConnection(t *testing.T) {
	err := fmt.Errorf("load 2, transform: analyze_staging: %w", driver.ErrBadConn)
	if h := hintFor(err); !strings.Contains(h, "connection to the warehouse broke") || !strings.Contains(h, "not committed") {
		t.Errorf("hint %q", h)
	}
}
