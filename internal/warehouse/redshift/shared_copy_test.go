package redshift

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// logCopies returns the COPYs of log files the emulator ran since from,
// and the URLs each one's manifest listed.
func (r *rig) logCopies(t *testing.T, from int) [][]string {
	var out [][]string
	for _, text := range r.emu.texts[from:] {
		if !strings.HasPrefix(text, `COPY "tmp_copy_events"`) {
			continue
		}
		line := strings.SplitN(strings.SplitN(text, "\nFROM '", 2)[1], "'", 2)[0]
		var m Manifest
		if err := json.Unmarshal(r.s3.get(t, line), &m); err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, e := range m.Entries {
			urls = append(urls, e.URL)
		}
		out = append(out, urls)
	}
	return out
}

// TestOnPostgresSharedLogCopy: the log files of a load, read in place on
// S3, share one COPY; replacing one of them stages its COPY-mates again,
// and the star equals DuckDB's load of the same files. A COPY-mate that is
// gone from the source stops the load before it starts.
func TestOnPostgresSharedLogCopy(t *testing.T) { onEachDeployment(t, testSharedLogCopy) }

func testSharedLogCopy(t *testing.T, r *rig) {
	data := warehousetest.CopySample(t, 3)
	r.putTree(t, data.Songs, "song_data")
	r.putTree(t, data.Logs, "log_data")
	w := r.open(false)
	run := func() (*pipeline.Result, error) {
		return pipeline.Run(context.Background(), w, r.s3Sources(t))
	}

	res, err := run()
	if err != nil {
		t.Fatal(err)
	}
	copies := r.logCopies(t, 0)
	if len(copies) != 1 || len(copies[0]) != 3 {
		t.Fatalf("COPYs of log files: %q, want one listing the 3 files", copies)
	}
	var shared int64
	w.DB().QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM staging_events WHERE file_id = %d", -res.LoadID)).Scan(&shared)
	o := warehousetest.NewOracle(t, data.Songs, data.Logs)
	if shared != int64(o.Events) {
		t.Errorf("%d staged rows carry the load's shared file id, the files hold %d events", shared, o.Events)
	}

	// Change the second day, on S3 and in the local copy DuckDB loads.
	logs := warehousetest.LogFiles(t, data.Logs)
	rel, _ := filepath.Rel(data.Logs, logs[1])
	lines := bytes.Split(bytes.TrimSpace(must(os.ReadFile(logs[1]))), []byte("\n"))
	edited := bytes.ReplaceAll(bytes.Join(lines[len(lines)/3:], []byte("\n")), []byte(`"level":"free"`), []byte(`"level":"paid"`))
	os.WriteFile(logs[1], edited, 0o644)
	r.s3.put(t, "s3://udacity/log_data/"+filepath.ToSlash(rel), edited)
	before := len(r.emu.texts)
	res, err = run()
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Source("log"); s.FilesChanged != 1 || s.FilesRestaged != 2 || s.FilesNew != 0 {
		t.Errorf("after a change: %d changed, %d restaged, %d new; want 1, 2, 0", s.FilesChanged, s.FilesRestaged, s.FilesNew)
	}
	if copies := r.logCopies(t, before); len(copies) != 1 || len(copies[0]) != 3 {
		t.Errorf("COPYs of log files after a change: %q, want one listing the changed file and its 2 COPY-mates", copies)
	}
	sameStar(t, "after a changed file of a shared COPY", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
	o = warehousetest.NewOracle(t, data.Songs, data.Logs)
	var staged int64
	w.DB().QueryRow("SELECT COUNT(*) FROM staging_events").Scan(&staged)
	if staged != int64(o.Events) {
		t.Errorf("staging holds %d events, the files %d", staged, o.Events)
	}
	if again, err := run(); err != nil || again.Status != pipeline.StatusNoop {
		t.Errorf("the rerun: %v, %+v", err, again)
	}

	// Change the first day again, with the third gone from the bucket: its
	// rows cannot be kept apart from the changed file's.
	star := warehousetest.DumpStar(t, w.DB())
	rel0, _ := filepath.Rel(data.Logs, logs[0])
	rel2, _ := filepath.Rel(data.Logs, logs[2])
	r.s3.put(t, "s3://udacity/log_data/"+filepath.ToSlash(rel0), bytes.TrimSpace(must(os.ReadFile(logs[0])))[:2000])
	gone := "s3://udacity/log_data/" + filepath.ToSlash(rel2)
	r.s3.del(t, gone)
	_, err = run()
	if err == nil || !strings.Contains(err.Error(), gone) || !strings.Contains(err.Error(), "no longer in the log source") {
		t.Fatalf("err = %v, want the load refused, naming %s", err, gone)
	}
	if d := warehousetest.DiffStar(warehousetest.DumpStar(t, w.DB()), star); len(d) > 0 {
		t.Errorf("the refused load changed the star:\n%s", strings.Join(d, "\n"))
	}
}

// TestOnPostgresSharedLogCopyUnaccounted: when the load log does not count
// every file of a shared COPY, the files are copied one by one, and every
// file's counts add up.
func TestOnPostgresSharedLogCopyUnaccounted(t *testing.T) {
	onEachDeployment(t, testSharedLogCopyUnaccounted)
}

func testSharedLogCopyUnaccounted(t *testing.T, r *rig) {
	r.emu.unlogged = true
	data := warehousetest.CopySample(t, 3)
	w := r.open(false)
	res := warehousetest.Load(t, w, data)
	copies := r.logCopies(t, 0)
	if len(copies) != 4 || len(copies[0]) != 3 {
		t.Fatalf("COPYs of log files: %q, want the shared one, then one per file", copies)
	}
	o := warehousetest.NewOracle(t, data.Songs, data.Logs)
	if s := res.Source("log"); s.LinesRead != int64(o.Events) || s.LinesLoaded != int64(o.Events) || s.LinesRejected != 0 {
		t.Errorf("log counts %+v, want %d events read and loaded", s, o.Events)
	}
	var shared int64
	w.DB().QueryRow("SELECT COUNT(*) FROM staging_events WHERE file_id < 0").Scan(&shared)
	if shared != 0 {
		t.Errorf("%d rows of the abandoned shared COPY were staged", shared)
	}
	sameStar(t, "after COPYs one by one", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
}
