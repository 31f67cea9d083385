// Package testutil holds helpers shared by tests: where the real sample
// data is, and throwaway PostgreSQL databases.
package testutil

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// SampleDir returns the real public Sparkify sample (../shared/data/sparkify-sample
// beside the repository), or skips the test when it is absent. Tests read it
// and never write into it.
func SampleDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("SPARKIFY_SAMPLE"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	d := filepath.Join(root, "..", "shared", "data", "sparkify-sample")
	if _, err := os.Stat(d); err != nil {
		if os.Getenv("SPARKIFY_REQUIRE_SAMPLE") != "" {
			t.Fatalf("sample data missing at %s", d)
		}
		t.Skipf("sample data not found at %s (set SPARKIFY_SAMPLE)", d)
	}
	return d
}
