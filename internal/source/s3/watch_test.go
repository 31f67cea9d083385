package s3_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
	"github.com/sparkify/sparkify/internal/watch"
)

// TestWatchS3Prefixes runs watch on S3 prefixes: each day object put into
// the bucket lands exactly once, a watch stopped in the middle of a load
// leaves the warehouse as it was, and the restarted watch catches up. The
// expected star is a local load of the same files.
func TestWatchS3Prefixes(t *testing.T) {
	const interval = 150 * time.Millisecond
	data := warehousetest.CopySample(t, 1)
	f := newFakeS3(t, "udacity")
	f.upload(data.Songs, "udacity", "song_data", false)
	f.upload(data.Logs, "udacity", "log_data", false)
	wh := openDuckDB(t)
	songs, logs := f.source("s3://udacity/song_data"), f.source("s3://udacity/log_data")

	var onStep func(ctx context.Context, step string) error
	start := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		step := onStep
		go func() {
			done <- watch.Run(ctx, watch.Options{
				Interval: interval,
				Log:      io.Discard,
				Load: func(ctx context.Context, filter func(string, source.Object) (bool, string)) (*pipeline.Result, error) {
					return pipeline.Run(ctx, wh, pipeline.Options{Songs: songs, Logs: logs, Filter: filter, OnStep: step, Wait: true})
				},
			})
		}()
		return func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("watch returned %v, want a clean stop", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("watch did not stop within 10s")
			}
		}
	}
	count := func(q string) int64 {
		t.Helper()
		var n int64
		if err := wh.DB().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// succeeded counts the completed loads; before the first load has
	// created the bookkeeping tables there are none.
	succeeded := func() int64 {
		var n int64
		if err := wh.DB().QueryRow("SELECT COUNT(*) FROM sparkify_runs WHERE status = 'succeeded'").Scan(&n); err != nil {
			return 0
		}
		return n
	}
	waitFor := func(what string, want int64) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for succeeded() != want {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	putDay := func(n int) {
		t.Helper()
		p := warehousetest.AddSampleDay(t, data, n)
		rel, _ := filepath.Rel(data.Logs, p)
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f.put("udacity", "log_data/"+filepath.ToSlash(rel), body)
	}

	stop := start()
	waitFor("the first load", 1)
	for day := 2; day <= 3; day++ {
		putDay(day)
		waitFor("the new day", int64(day))
	}
	time.Sleep(3 * interval) // more polls: nothing may load twice
	stop()
	if n := count("SELECT COUNT(*) FROM sparkify_runs"); n != 3 {
		t.Errorf("%d runs after three day objects, want 3", n)
	}
	if n := count("SELECT COUNT(*) FROM sparkify_files WHERE kind = 'log'"); n != 3 {
		t.Errorf("%d log objects recorded, want 3", n)
	}
	sameStar(t, "the star watch loaded from S3", warehousetest.DumpStar(t, wh.DB()), localStar(t, data))
	before := warehousetest.DumpStar(t, wh.DB())

	// Stopped mid-load: the load is rolled back, nothing of day 4 shows.
	paused := make(chan struct{}, 1)
	onStep = func(ctx context.Context, step string) error {
		if step == pipeline.StepStaged {
			paused <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}
	putDay(4)
	stop = start()
	select {
	case <-paused:
	case <-time.After(15 * time.Second):
		t.Fatal("the load of day 4 never reached the staged step")
	}
	stop()
	sameStar(t, "the star after a watch stopped mid-load", warehousetest.DumpStar(t, wh.DB()), before)

	onStep = nil
	stop = start()
	waitFor("day 4 after the restart", 4)
	stop()
	sameStar(t, "the star after the restarted watch", warehousetest.DumpStar(t, wh.DB()), localStar(t, data))
}
