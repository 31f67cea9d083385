package buildinfo

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

func TestFromBuildInfoReadsVCSStamp(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/sparkify/sparkify", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := FromBuildInfo(bi)
	want := Info{Version: "v1.4.0", Revision: "0123456789abcdef0123456789abcdef01234567",
		Time: "2026-12-01T10:00:00Z", Modified: true, GoVersion: "go1.26.8"}
	if got != want {
		t.Fatalf("FromBuildInfo = %+v, want %+v", got, want)
	}
	got.DuckDB = "v1.5.6"
	if s, w := got.String(), "sparkify v1.4.0 (0123456789ab-dirty, 2026-12-01T10:00:00Z) go1.26.8 duckdb v1.5.6"; s != w {
		t.Fatalf("String = %q, want %q", s, w)
	}
}

func TestFromBuildInfoWithoutModuleSupport(t *testing.T) {
	got := FromBuildInfo(nil)
	if got.Version != "unknown" || got.GoVersion != runtime.Version() {
		t.Fatalf("FromBuildInfo(nil) = %+v", got)
	}
}

// TestDuckDBVersionMatchesBindings checks the version DuckDB reports against
// the one encoded in the bindings module's version required in go.mod
// (v0.MMmmpp.x is DuckDB vM.m.p). Test binaries carry no dependency list in
// their build info, so go.mod is read.
func TestDuckDBVersionMatchesBindings(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var mod string
	for _, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "github.com/duckdb/duckdb-go-bindings" {
			mod = f[1]
		}
	}
	if mod == "" {
		t.Fatal("duckdb-go-bindings not required in go.mod")
	}
	parts := strings.Split(strings.TrimPrefix(mod, "v"), ".")
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		t.Fatalf("bindings version %q: %v", mod, err)
	}
	want := fmt.Sprintf("v%d.%d.%d", n/10000, n/100%100, n%100)

	got, err := DuckDBVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("DuckDB reports %q; bindings %s encode %q", got, mod, want)
	}
}
