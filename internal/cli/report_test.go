package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportIsSelfContained(t *testing.T) {
	wh := loadedWarehouse(t)
	out := filepath.Join(t.TempDir(), "report.html")
	r := runCLI(t, nil, append([]string{"report", "--out", out, "--from", "2018-11-01", "--to", "2018-11-30", "--level", "paid"}, wh...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{
		`id="chart-top-played"`, `id="chart-conversions"`, `id="chart-browsers"`, `id="runs"`,
		"2018-11-01 to 2018-11-30, paid plays",
		`http-equiv="Content-Security-Policy"`, "script-src &#39;sha256-",
		"Apache Software Foundation", // echarts itself, inlined
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// (echarts' code names XML namespaces with http:// strings: not fetches.)
	for _, bad := range []string{`<script src=`, `<link `, `src="http`, `href="http`, `<form`} {
		if strings.Contains(html, bad) {
			t.Errorf("the report holds %q: it is not self-contained", bad)
		}
	}
	if !strings.Contains(r.out, "Wrote "+out) {
		t.Errorf("stdout %q", r.out)
	}
}

func TestReportFlags(t *testing.T) {
	wh := loadedWarehouse(t)
	for _, args := range [][]string{
		{"--level", "gold"}, {"--from", "2018-11-31"}, {"--top", "0"},
		{"--from", "2018-11-20", "--to", "2018-11-01"}, {"--out", ""},
	} {
		r := runCLI(t, nil, append(append([]string{"report"}, args...), wh...)...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d %q", args, r.code, r.err)
		}
	}
	r := runCLI(t, nil, append([]string{"report", "--out", "-", "--top", "3"}, wh...)...)
	if r.code != 0 || !strings.HasPrefix(r.out, "<!DOCTYPE html>") {
		t.Errorf("--out -: exit %d %.100q", r.code, r.out)
	}
}
