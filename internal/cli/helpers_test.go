package cli

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sparkify/sparkify/internal/iostreams"
	"github.com/sparkify/sparkify/internal/testutil"
)

// result is one run of the CLI.
type result struct {
	out, err string
	code     int
}

// runCLI runs sparkify in-process with buffers for streams and an
// environment of its own (nothing from the real one).
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	f := NewFactory(io, func(k string) string { return env[k] })
	code := Execute(context.Background(), f, args)
	return result{out: out.String(), err: errOut.String(), code: code}
}

// sampleArgs are --songs/--logs for the real sample.
func sampleArgs(t *testing.T) []string {
	dir := testutil.SampleDir(t)
	return []string{"--songs", filepath.Join(dir, "song_data"), "--logs", filepath.Join(dir, "log_data")}
}

// tempWarehouse is a --warehouse flag for a DuckDB file in a temp folder.
func tempWarehouse(t *testing.T) []string {
	return []string{"--warehouse", "duckdb:" + filepath.Join(t.TempDir(), "w.duckdb")}
}
