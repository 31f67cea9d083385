package warehousetest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
)

// testBackfill loads a range of days, then the whole month, and compares
// with a single full load; a full refresh of a range replaces exactly those
// days.
func testBackfill(t *testing.T, open Opener) {
	data := CopySample(t, 0)
	// One file without a date in its name: its first event decides its day
	// (the sample's 2018-11-08 file, renamed).
	logs := LogFiles(t, data.Logs)
	renamed := filepath.Join(filepath.Dir(logs[7]), "events-batch-a.json")
	if err := os.Rename(logs[7], renamed); err != nil {
		t.Fatal(err)
	}
	days, err := pipeline.ParseDateRange("2018-11-05", "2018-11-12")
	if err != nil {
		t.Fatal(err)
	}
	wh := openT(t, open)
	res := Load(t, wh, data, func(o *pipeline.Options) { o.Days = days })
	lr := res.Source("log")
	if lr.FilesNew != 8 || lr.FilesOutOfRange != 22 {
		t.Errorf("range load read %d files and left %d out, want 8 (Nov 5-12, one by its events) and 22", lr.FilesNew, lr.FilesOutOfRange)
	}
	// The plays of those days only: an oracle over just those 8 files.
	part := t.TempDir()
	for _, f := range append(logs[4:7], append([]string{renamed}, logs[8:12]...)...) {
		copyFile(t, f, filepath.Join(part, filepath.Base(f)))
	}
	o := NewOracle(t, data.Songs, part)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM songplays"); n != int64(len(o.Plays)) {
		t.Errorf("after the range load songplays has %d rows, the 8 days hold %d plays", n, len(o.Plays))
	}
	Load(t, wh, data)
	full := fullLoad(t, open, data)
	assertSameStar(t, "a range load then the rest", DumpStar(t, wh.DB()), full)

	// A full refresh of the range reloads exactly its 8 files, unchanged as
	// they are, and replaces their rows: the star must not move.
	res = Load(t, wh, data, func(o *pipeline.Options) { o.Days = days; o.FullRefresh = true })
	if lr := res.Source("log"); lr.FilesChanged != 8 || lr.FilesNew != 0 {
		t.Errorf("ranged full refresh: changed %d new %d, want 8 and 0", lr.FilesChanged, lr.FilesNew)
	}
	assertSameStar(t, "a ranged full refresh", DumpStar(t, wh.DB()), full)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM staging_events"); n != int64(NewOracle(t, data.Songs, data.Logs).Events) {
		t.Errorf("staging holds %d events after a ranged refresh: days were doubled or lost", n)
	}
}
