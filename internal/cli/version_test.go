package cli

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/buildinfo"
)

func TestVersionFlagAndCommandAgree(t *testing.T) {
	flag := runCLI(t, nil, "--version")
	cmd := runCLI(t, nil, "version")
	if flag.code != 0 || cmd.code != 0 {
		t.Fatalf("exit codes %d, %d; stderr %q %q", flag.code, cmd.code, flag.err, cmd.err)
	}
	if flag.out != cmd.out {
		t.Fatalf("--version printed %q, version printed %q", flag.out, cmd.out)
	}
	line := strings.TrimSpace(flag.out)
	if !strings.HasPrefix(line, "sparkify ") || !strings.Contains(line, runtime.Version()) ||
		!strings.Contains(line, " duckdb v") || strings.Count(flag.out, "\n") != 1 {
		t.Fatalf("version line %q", flag.out)
	}
}

func TestVersionJSON(t *testing.T) {
	for _, args := range [][]string{{"--version", "--json"}, {"version", "--json"}} {
		r := runCLI(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.err)
		}
		var info buildinfo.Info
		if err := json.Unmarshal([]byte(r.out), &info); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, r.out)
		}
		if info.GoVersion != runtime.Version() || !strings.HasPrefix(info.DuckDB, "v") || info.Version == "" {
			t.Fatalf("%v: %+v", args, info)
		}
	}
}

func TestRootWithoutVersionStillHelpsAndRejectsUnknown(t *testing.T) {
	if r := runCLI(t, nil); r.code != 0 || !strings.Contains(r.out, "Available Commands") {
		t.Fatalf("bare sparkify: exit %d, out %q", r.code, r.out)
	}
	if r := runCLI(t, nil, "nosuchverb"); r.code != ExitUsage || !strings.Contains(r.err, "unknown command") {
		t.Fatalf("unknown verb: exit %d, err %q", r.code, r.err)
	}
	if r := runCLI(t, nil, "--json"); r.code != ExitUsage {
		t.Fatalf("--json alone: exit %d", r.code)
	}
}
