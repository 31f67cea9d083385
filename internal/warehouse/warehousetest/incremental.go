package warehousetest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
)

// fullLoad loads data into a fresh warehouse in one run and dumps it.
func fullLoad(t *testing.T, open Opener, data Data) map[string][]string {
	t.Helper()
	wh := openT(t, open)
	Load(t, wh, data)
	return DumpStar(t, wh.DB())
}

func assertSameStar(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	if d := DiffStar(got, want); len(d) > 0 {
		t.Errorf("%s differs from a single full load:\n%s", what, strings.Join(d, "\n"))
	}
}

// testIncremental loads the days in three runs and compares with one run;
// a rerun with nothing new is a no-op.
func testIncremental(t *testing.T, open Opener) {
	data := CopySample(t, 10)
	wh := openT(t, open)
	Load(t, wh, data)
	for day := 11; day <= 30; day++ {
		AddSampleDay(t, data, day)
		if day == 20 || day == 30 {
			Load(t, wh, data)
		}
	}
	got := DumpStar(t, wh.DB())
	assertSameStar(t, "three incremental loads", got, fullLoad(t, open, data))

	runsBefore := count(t, wh.DB(), "SELECT COUNT(*) FROM sparkify_runs")
	res := Load(t, wh, data)
	if res.Status != pipeline.StatusNoop {
		t.Errorf("rerun status %s, want noop", res.Status)
	}
	assertSameStar(t, "a no-op rerun", DumpStar(t, wh.DB()), got)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM sparkify_runs"); n != runsBefore {
		t.Errorf("a no-op rerun wrote a run row (%d -> %d)", runsBefore, n)
	}
	counted := starCounts(t, wh.DB())
	fr := Load(t, wh, data, func(o *pipeline.Options) { o.FullRefresh = true })
	checkTableCounts(t, "a full refresh", fr, counted, starCounts(t, wh.DB()))
	if fr.Status != pipeline.StatusSucceeded || fr.Mode != pipeline.ModeFullRefresh {
		t.Errorf("full refresh: %s %s", fr.Status, fr.Mode)
	}
	assertSameStar(t, "a full refresh", DumpStar(t, wh.DB()), got)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM staging_events"); n != int64(NewOracle(t, data.Songs, data.Logs).Events) {
		t.Errorf("staging after full refresh holds %d events, want each once", n)
	}
}

// testOneMoreDay adds the last day: exactly its plays are added and the
// users it touches are updated.
func testOneMoreDay(t *testing.T, open Opener) {
	data := CopySample(t, 29)
	wh := openT(t, open)
	Load(t, wh, data)
	before := NewOracle(t, data.Songs, data.Logs)
	counted := starCounts(t, wh.DB())
	AddSampleDay(t, data, 30)
	after := NewOracle(t, data.Songs, data.Logs)
	res := Load(t, wh, data)
	checkTableCounts(t, "one more day", res, counted, starCounts(t, wh.DB()))
	if s := res.Source("log"); s.FilesNew != 1 || s.FilesUnchanged != 29 {
		t.Errorf("log files new %d unchanged %d, want 1 and 29", s.FilesNew, s.FilesUnchanged)
	}
	if d := res.Table("songplays").Delta; d != int64(len(after.Plays)-len(before.Plays)) {
		t.Errorf("songplays grew by %d, the new day holds %d plays", d, len(after.Plays)-len(before.Plays))
	}
	checkPlays(t, wh.DB(), after)
	checkUsers(t, wh.DB(), after)
	checkTime(t, wh.DB(), after)
}

// testChangedFile edits a loaded log file: the old version's rows go, the
// new version's come, as if loaded from scratch.
func testChangedFile(t *testing.T, open Opener) {
	data := CopySample(t, 5)
	wh := openT(t, open)
	Load(t, wh, data)
	f := LogFiles(t, data.Logs)[2]
	raw, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(raw, []byte("\n"))
	// Drop the first half of the day and flip the level of the rest.
	kept := lines[len(lines)/2:]
	edited := bytes.ReplaceAll(bytes.Join(kept, []byte("\n")), []byte(`"level":"free"`), []byte(`"level":"paid"`))
	if err := os.WriteFile(f, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	os.Chtimes(f, future, future)
	counted := starCounts(t, wh.DB())
	res := Load(t, wh, data)
	checkTableCounts(t, "a changed file", res, counted, starCounts(t, wh.DB()))
	if s := res.Source("log"); s.FilesChanged != 1 {
		t.Errorf("changed files %d, want 1", s.FilesChanged)
	}
	assertSameStar(t, "after a changed file", DumpStar(t, wh.DB()), fullLoad(t, open, data))
	o := NewOracle(t, data.Songs, data.Logs)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM staging_events"); n != int64(o.Events) {
		t.Errorf("staging holds %d events, the files %d: the old version was not removed", n, o.Events)
	}
}

// testFailedLoad fails a load after staging: nothing changes, and the next
// load completes as if the failed one never ran.
func testFailedLoad(t *testing.T, open Opener) {
	data := CopySample(t, 3)
	wh := openT(t, open)
	Load(t, wh, data)
	before := DumpStar(t, wh.DB())
	staged := count(t, wh.DB(), "SELECT COUNT(*) FROM staging_events")
	AddSampleDay(t, data, 4)
	boom := errors.New("injected failure")
	_, err := TryLoad(t, wh, data, func(o *pipeline.Options) {
		o.OnStep = func(_ context.Context, step string) error {
			if step == pipeline.StepStaged {
				return boom
			}
			return nil
		}
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	assertSameStar(t, "after a failed load (must equal the state before it)", DumpStar(t, wh.DB()), before)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM staging_events"); n != staged {
		t.Errorf("staging_events holds %d rows after the failed load, %d before it", n, staged)
	}
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM sparkify_runs WHERE status = 'failed'"); n != 1 {
		t.Errorf("%d failed runs recorded, want 1", n)
	}
	res := Load(t, wh, data)
	if res.Source("log").FilesNew != 1 {
		t.Errorf("the day of the failed load was not loaded by the next: %+v", res.Source("log"))
	}
	assertSameStar(t, "after the failed load's retry", DumpStar(t, wh.DB()), fullLoad(t, open, data))
}

// testRejects puts bad lines in a log: above --max-rejects the load fails
// and commits nothing but its rejects; within it the rest loads.
func testRejects(t *testing.T, open Opener) {
	data := CopySample(t, 2)
	wh := openT(t, open)
	bad := filepath.Join(data.Logs, "2018", "11", "2018-11-99-events.json")
	good := `{"artist":null,"auth":"Logged In","firstName":"A","gender":"F","itemInSession":0,"lastName":"B","length":null,"level":"free","location":null,"method":"GET","page":"Home","registration":null,"sessionId":1,"song":null,"status":200,"ts":1541105830796,"userAgent":null,"userId":"999"}`
	os.WriteFile(bad, []byte(good+"\n{not json\n"+`{"ts":"soon"}`+"\n[1]\n"+good), 0o644)
	res, err := TryLoad(t, wh, data)
	if !errors.Is(err, pipeline.ErrTooManyRejects) {
		t.Fatalf("err = %v, want ErrTooManyRejects", err)
	}
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM songplays"); n != 0 {
		t.Errorf("a failed load committed %d songplays", n)
	}
	rej := Dump(t, wh.DB(), "SELECT uri, line_no, reason FROM sparkify_rejects ORDER BY line_no")
	if len(rej) != 3 || !strings.HasPrefix(rej[0], bad+"|2|invalid JSON") || !strings.Contains(rej[1], "|3|field ts: want a whole number") || !strings.Contains(rej[2], "|4|not a JSON object") {
		t.Errorf("rejects = %q", rej)
	}
	if res.Status != pipeline.StatusFailed {
		t.Errorf("status %s", res.Status)
	}
	res = Load(t, wh, data, func(o *pipeline.Options) { o.MaxRejects = 3 })
	s := res.Source("log")
	if s.LinesRejected != 3 || s.LinesRead != s.LinesLoaded+s.LinesRejected {
		t.Errorf("counts: read %d loaded %d rejected %d", s.LinesRead, s.LinesLoaded, s.LinesRejected)
	}
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM users WHERE user_id = '999'"); n != 1 {
		t.Error("the good lines around the bad ones were not loaded")
	}
}

// testConflictingSongs gives one artist three disagreeing song files and one
// song two files: the documented rules pick the same rows whatever the order.
func testConflictingSongs(t *testing.T, open Opener) {
	data := CopySample(t, 1)
	write := func(name, body string) {
		p := filepath.Join(data.Songs, "Z", "Z", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	write("TRZ1.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": null, "artist_longitude": null, "artist_location": "", "artist_name": "Zed", "song_id": "SOZ1", "title": "One", "duration": 100.5, "year": 0}`)
	write("TRZ2.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": 1.5, "artist_longitude": 2.5, "artist_location": "Paris", "artist_name": "Zed feat. Y", "song_id": "SOZ2", "title": "Two", "duration": 200.25, "year": 2001}`)
	write("TRZ3.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": null, "artist_longitude": null, "artist_location": "Berlin", "artist_name": "Zed", "song_id": "SOZ3", "title": "Three", "duration": 300, "year": 2002}`)
	write("TRZ4.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": null, "artist_longitude": null, "artist_location": "", "artist_name": "Zed", "song_id": "SOZ1", "title": "Another One", "duration": 100.5, "year": 1999}`)
	o := NewOracle(t, data.Songs, data.Logs)
	wh := openT(t, open)
	Load(t, wh, data)
	checkSongs(t, wh.DB(), o)
	checkArtists(t, wh.DB(), o)
	if a := o.Artists["ARZZZ"]; a.Location != "Paris" || a.Name != "Zed feat. Y" {
		t.Fatalf("oracle picked %+v; the rule is: most complete record first", a)
	}
}

// testSchemaDrift adds unknown fields: they are kept in staging's extra
// column and named in the result.
func testSchemaDrift(t *testing.T, open Opener) {
	data := CopySample(t, 1)
	f := LogFiles(t, data.Logs)[0]
	raw, _ := os.ReadFile(f)
	raw = bytes.Replace(raw, []byte(`"userId":"39"}`), []byte(`"userId":"39","device":"ios"}`), 1)
	os.WriteFile(f, raw, 0o644)
	wh := openT(t, open)
	res := Load(t, wh, data)
	if nf := res.Source("log").NewFields; len(nf) != 1 || nf[0] != "device" {
		t.Errorf("new fields %v, want [device]", nf)
	}
	if got := Dump(t, wh.DB(), "SELECT extra FROM staging_events WHERE extra IS NOT NULL"); len(got) != 1 || got[0] != `{"device":"ios"}` {
		t.Errorf("extra column = %q", got)
	}
}
