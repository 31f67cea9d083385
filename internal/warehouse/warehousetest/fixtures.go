package warehousetest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source/local"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// Data is a writable copy of (part of) the real sample.
type Data struct {
	Songs string // song_data folder
	Logs  string // log_data folder
}

// CopySample copies the sample into a temp folder; logDays limits the log
// files to the first n days (0 = all).
func CopySample(t testing.TB, logDays int) Data {
	t.Helper()
	src := testutil.SampleDir(t)
	dst := t.TempDir()
	copyTree(t, filepath.Join(src, "song_data"), filepath.Join(dst, "song_data"))
	logs := LogFiles(t, filepath.Join(src, "log_data"))
	if logDays > 0 && logDays < len(logs) {
		logs = logs[:logDays]
	}
	for _, f := range logs {
		rel, _ := filepath.Rel(src, f)
		copyFile(t, f, filepath.Join(dst, rel))
	}
	os.MkdirAll(filepath.Join(dst, "log_data"), 0o755)
	return Data{Songs: filepath.Join(dst, "song_data"), Logs: filepath.Join(dst, "log_data")}
}

// LogFiles lists the daily log files under dir in date order.
func LogFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// AddSampleDay copies day n (1-based) of the sample's logs into data.
func AddSampleDay(t testing.TB, data Data, n int) string {
	t.Helper()
	src := testutil.SampleDir(t)
	logs := LogFiles(t, filepath.Join(src, "log_data"))
	rel, _ := filepath.Rel(filepath.Join(src, "log_data"), logs[n-1])
	dst := filepath.Join(data.Logs, rel)
	copyFile(t, logs[n-1], dst)
	return dst
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		copyFile(t, p, filepath.Join(dst, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Load runs one load of data into wh and fails the test on error.
func Load(t testing.TB, wh warehouse.Warehouse, data Data, mod ...func(*pipeline.Options)) *pipeline.Result {
	t.Helper()
	res, err := TryLoad(t, wh, data, mod...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return res
}

// TryLoad runs one load and returns its result and error.
func TryLoad(t testing.TB, wh warehouse.Warehouse, data Data, mod ...func(*pipeline.Options)) (*pipeline.Result, error) {
	t.Helper()
	opts := pipeline.Options{}
	if data.Songs != "" {
		s, err := local.New(data.Songs)
		if err != nil {
			t.Fatal(err)
		}
		opts.Songs = s
	}
	if data.Logs != "" {
		l, err := local.New(data.Logs)
		if err != nil {
			t.Fatal(err)
		}
		opts.Logs = l
	}
	for _, m := range mod {
		m(&opts)
	}
	return pipeline.Run(context.Background(), wh, opts)
}
