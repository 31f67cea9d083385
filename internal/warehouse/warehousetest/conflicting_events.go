package warehousetest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// testConflictingEvents: an event id (ts|userId|sessionId|itemInSession)
// that arrives twice with different content is counted in the load's
// result and its stored run, within one load and against an earlier
// load's play; identical copies are not; which copy is kept is as before.
func testConflictingEvents(t *testing.T, open Opener) {
	day := ms(2018, time.November, 1, 10, 0)
	ev := func(item int64, song, level string) FixEvent {
		return FixEvent{TS: day + item*60000, User: "7", First: "Ann", Last: "Lee", Level: level,
			Session: 3, Item: item, Song: song, Artist: "Band", Length: 200}
	}
	data := NewFixture(t)
	// Load 1. Event 2 twice in a.json with another song, event 4 in a.json
	// and b.json at another level: 2 conflicts. Event 3 in both files, the
	// same: none.
	WriteEvents(t, filepath.Join(data.Logs, "a.json"), []FixEvent{
		ev(1, "One", "free"), ev(2, "A two", "free"), ev(2, "B two", "free"), ev(3, "Three", "free"), ev(4, "Four", "free"),
	})
	WriteEvents(t, filepath.Join(data.Logs, "b.json"), []FixEvent{ev(3, "Three", "free"), ev(4, "Four", "paid")})
	wh := openT(t, open)
	res := Load(t, wh, data)
	if res.ConflictingEvents != 2 {
		t.Errorf("load 1: %d conflicting events, want 2 (events 2 and 4)", res.ConflictingEvents)
	}
	// Load 2: event 1 again, the same (none); event 3 with another song
	// (1 against load 1's play); event 5 twice, the same (none).
	WriteEvents(t, filepath.Join(data.Logs, "c.json"), []FixEvent{
		ev(1, "One", "free"), ev(3, "Other three", "free"), ev(5, "Five", "free"), ev(5, "Five", "free"),
	})
	res = Load(t, wh, data)
	if res.ConflictingEvents != 1 {
		t.Errorf("load 2: %d conflicting events, want 1 (event 3)", res.ConflictingEvents)
	}
	// The number is stored with the run ('sparkify runs --json').
	for load, want := range map[int64]int64{1: 2, 2: 1} {
		got := Dump(t, wh.DB(), fmt.Sprintf("SELECT summary FROM sparkify_runs WHERE load_id = %d", load))
		var sum struct {
			Conflicting *int64 `json:"conflicting_events"`
		}
		if len(got) != 1 || json.Unmarshal([]byte(got[0]), &sum) != nil || sum.Conflicting == nil || *sum.Conflicting != want {
			t.Errorf("run %d summary %q: want conflicting_events %d", load, got, want)
		}
	}
	// Which copy is kept is as before: load 2 changes no play of load 1
	// (its copy of event 3 is counted, not kept) and adds event 5. Within
	// load 1 each engine keeps its own first copy (on Redshift the files of
	// one COPY cannot say their order: docs/redshift.md).
	after1 := Dump(t, wh.DB(), "SELECT song_title, level FROM songplays WHERE load_id = 1 ORDER BY start_time")
	if len(after1) != 4 {
		t.Fatalf("load 1 made %d plays %q, want 4 (events 1 to 4)", len(after1), after1)
	}
	if after1[0] != "One|free" || after1[2] != "Three|free" {
		t.Errorf("plays of events 1 and 3 %q, %q; want the only content they had in load 1", after1[0], after1[2])
	}
	if got := Dump(t, wh.DB(), "SELECT song_title, level FROM songplays WHERE load_id = 2"); fmt.Sprint(got) != "[Five|free]" {
		t.Errorf("load 2 made plays %q, want only event 5's", got)
	}
}
