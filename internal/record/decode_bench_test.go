package record

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
)

// BenchmarkDecodeEvent decodes every line of the real sample's logs.
func BenchmarkDecodeEvent(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(testutil.SampleDir(b), "log_data", "*", "*", "*.json"))
	var lines [][]byte
	size := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range bytes.Split(data, []byte("\n")) {
			if len(l) > 0 {
				lines = append(lines, l)
				size += len(l)
			}
		}
	}
	d := NewDecoder()
	var ev Event
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		for _, l := range lines {
			if err := d.DecodeEvent(l, &ev); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/event")
}

// BenchmarkEventID is the stable id of one event.
func BenchmarkEventID(b *testing.B) {
	for i := range b.N {
		EventID(1541106106796+int64(i), "39", 38, 12)
	}
}
