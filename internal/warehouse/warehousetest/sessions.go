package warehousetest

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
)

// checkSessions compares every sessions row with the Activity oracle.
func checkSessions(t *testing.T, db *sql.DB, a *Activity) {
	t.Helper()
	rows, err := db.Query(`SELECT user_id, session_id, started_at, ended_at, duration_ms, events, plays,
		level, location, user_agent FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n, events, plays := 0, 0, 0
	for rows.Next() {
		var k SessionKey
		var start, end time.Time
		var dur int64
		var ev, pl int
		var level, loc, ua sql.NullString
		if err := rows.Scan(&k.UserID, &k.SessionID, &start, &end, &dur, &ev, &pl, &level, &loc, &ua); err != nil {
			t.Fatal(err)
		}
		n, events, plays = n+1, events+ev, plays+pl
		s, ok := a.Sessions[k]
		if !ok {
			t.Errorf("session %+v is in no event", k)
			continue
		}
		if start.UnixMilli() != s.Start || end.UnixMilli() != s.End || dur != s.End-s.Start {
			t.Errorf("session %+v: %v .. %v (%d ms), want ts %d .. %d", k, start.UTC(), end.UTC(), dur, s.Start, s.End)
		}
		if ev != s.Events || pl != s.Plays {
			t.Errorf("session %+v: %d events %d plays, want %d and %d", k, ev, pl, s.Events, s.Plays)
		}
		if level.String != s.Level || loc.String != s.Location || ua.String != s.UserAgent {
			t.Errorf("session %+v: last event's level %q location %q agent %q, want %q %q %q",
				k, level.String, loc.String, ua.String, s.Level, s.Location, s.UserAgent)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(a.Sessions) || events != a.Events || plays != a.Plays {
		t.Errorf("sessions: %d rows, %d events, %d plays; the raw files hold %d sessions, %d user events, %d plays",
			n, events, plays, len(a.Sessions), a.Events, a.Plays)
	}
}

// checkCancelled compares users.cancelled_at with the oracle.
func checkCancelled(t *testing.T, db *sql.DB, a *Activity) {
	t.Helper()
	rows, err := db.Query(`SELECT user_id, cancelled_at FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var at sql.NullTime
		if err := rows.Scan(&id, &at); err != nil {
			t.Fatal(err)
		}
		want, ok := a.Cancelled[id]
		if at.Valid != ok || (ok && at.Time.UnixMilli() != want) {
			t.Errorf("user %s: cancelled_at %v, want ts %d (0: NULL)", id, at, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// testSessionSplitAcrossFiles: one session whose events are in two files
// (before and after midnight, as a day's log ends) gives the same row
// loaded in one run and in two runs, and the row is the one the events
// give.
func testSessionSplitAcrossFiles(t *testing.T, open Opener) {
	t0 := time.Date(2018, time.November, 20, 23, 50, 0, 0, time.UTC).UnixMilli()
	at := func(min int64, item int64, page, level string) FixEvent {
		return FixEvent{TS: t0 + min*60000, User: "7", First: "Split", Last: "Session", Level: level,
			Session: 70, Item: item, Page: page, Song: "S", Artist: "A", Length: 200}
	}
	day1 := []FixEvent{at(0, 0, "Home", "free"), at(1, 1, "", "free"), at(5, 2, "", "free")}
	day2 := []FixEvent{at(12, 3, "Submit Upgrade", "free"), at(13, 4, "", "paid"), at(20, 5, "Home", "paid")}
	write := func(d Data, name string, evs []FixEvent) {
		WriteEvents(t, filepath.Join(d.Logs, "2018", "11", name), evs)
	}
	want := "7|70|2018-11-20T23:50:00.000|2018-11-21T00:10:00.000|1200000|6|3|paid|Here, XX|test-agent"

	one := NewFixture(t)
	write(one, "2018-11-20-events.json", day1)
	write(one, "2018-11-21-events.json", day2)
	whOne := openT(t, open)
	Load(t, whOne, one)

	two := NewFixture(t)
	write(two, "2018-11-20-events.json", day1)
	whTwo := openT(t, open)
	Load(t, whTwo, two)
	if got := strings.Join(Dump(t, whTwo.DB(), StarQueries["sessions"]), "\n"); got != "7|70|2018-11-20T23:50:00.000|2018-11-20T23:55:00.000|300000|3|2|free|Here, XX|test-agent" {
		t.Errorf("after the first day, sessions:\n%s", got)
	}
	write(two, "2018-11-21-events.json", day2)
	Load(t, whTwo, two)

	for what, db := range map[string]*sql.DB{"one run": whOne.DB(), "two runs": whTwo.DB()} {
		if got := strings.Join(Dump(t, db, StarQueries["sessions"]), "\n"); got != want {
			t.Errorf("%s: sessions\n  %s\nwant\n  %s", what, got, want)
		}
	}
	assertSameStar(t, "two runs", DumpStar(t, whTwo.DB()), DumpStar(t, whOne.DB()))
}

// testCancellationInLaterLoad: a Cancellation Confirmation loaded in a
// later run sets users.cancelled_at and shows in the churn query.
func testCancellationInLaterLoad(t *testing.T, open Opener) {
	t0 := time.Date(2018, time.November, 20, 10, 0, 0, 0, time.UTC).UnixMilli()
	ev := func(min, item int64, page string) FixEvent {
		return FixEvent{TS: t0 + min*60000, User: "9", First: "Leaving", Last: "User", Level: "paid",
			Session: 90, Item: item, Page: page, Song: "S", Artist: "A", Length: 200}
	}
	data := NewFixture(t)
	WriteEvents(t, filepath.Join(data.Logs, "2018", "11", "2018-11-20-events.json"),
		[]FixEvent{ev(0, 0, "Home"), ev(1, 1, "")})
	wh := openT(t, open)
	Load(t, wh, data)
	if got := Dump(t, wh.DB(), `SELECT cancelled_at FROM users WHERE user_id = '9'`); len(got) != 1 || got[0] != "NULL" {
		t.Errorf("before the cancellation: cancelled_at %q, want NULL", got)
	}
	if got := runQuery(t, wh.DB(), "churn", analytics.Args{}); len(got) != 0 {
		t.Errorf("churn before any cancellation: %q", got)
	}
	// The next day: the user cancels (a paid user: Cancel, then the
	// confirmation) and another user downgrades.
	t1 := t0 + dayMS
	WriteEvents(t, filepath.Join(data.Logs, "2018", "11", "2018-11-21-events.json"), []FixEvent{
		{TS: t1, User: "9", First: "Leaving", Last: "User", Level: "paid", Session: 91, Item: 0, Page: "Cancel"},
		{TS: t1 + 1000, User: "9", First: "Leaving", Last: "User", Level: "paid", Session: 91, Item: 1, Page: "Cancellation Confirmation"},
		{TS: t1 + 5000, User: "8", First: "Other", Last: "User", Level: "paid", Session: 80, Item: 0, Page: "Submit Downgrade"},
	})
	Load(t, wh, data)
	if got := Dump(t, wh.DB(), `SELECT cancelled_at FROM users WHERE user_id = '9'`); len(got) != 1 || got[0] != "2018-11-21T10:00:01.000" {
		t.Errorf("after the cancellation: cancelled_at %q, want 2018-11-21T10:00:01.000", got)
	}
	want := "2018-11-21|1|1|0|1|0"
	if got := strings.Join(runQuery(t, wh.DB(), "churn", analytics.Args{}), "\n"); got != want {
		t.Errorf("churn after the cancellation: %q, want %q", got, want)
	}
	o := NewOracle(t, data.Songs, data.Logs)
	checkCancelled(t, wh.DB(), o.Activity)
	checkSessions(t, wh.DB(), o.Activity)

	// A later load with more of the user's events keeps cancelled_at (the
	// user moves forward: their earlier events are not read again).
	t2 := t1 + dayMS
	WriteEvents(t, filepath.Join(data.Logs, "2018", "11", "2018-11-22-events.json"), []FixEvent{
		{TS: t2, User: "9", First: "Leaving", Last: "User", Level: "free", Session: 92, Item: 0, Page: "Home"},
	})
	Load(t, wh, data)
	if got := Dump(t, wh.DB(), `SELECT cancelled_at FROM users WHERE user_id = '9'`); len(got) != 1 || got[0] != "2018-11-21T10:00:01.000" {
		t.Errorf("after a later event: cancelled_at %q, want 2018-11-21T10:00:01.000 kept", got)
	}
	// The day of the cancellation replaced by a version without it: the
	// user has no cancellation any more.
	day2 := filepath.Join(data.Logs, "2018", "11", "2018-11-21-events.json")
	WriteEvents(t, day2, []FixEvent{
		{TS: t1, User: "9", First: "Leaving", Last: "User", Level: "paid", Session: 91, Item: 0, Page: "Home"},
	})
	future := time.Now().Add(time.Hour)
	os.Chtimes(day2, future, future)
	Load(t, wh, data)
	if got := Dump(t, wh.DB(), `SELECT cancelled_at FROM users WHERE user_id = '9'`); len(got) != 1 || got[0] != "NULL" {
		t.Errorf("after the cancellation's file was replaced: cancelled_at %q, want NULL", got)
	}
	o = NewOracle(t, data.Songs, data.Logs)
	checkCancelled(t, wh.DB(), o.Activity)
	checkSessions(t, wh.DB(), o.Activity)
	assertSameStar(t, "four loads with a replaced file", DumpStar(t, wh.DB()), fullLoad(t, open, data))
}

// checkSampleActivity pins the sample's own figures, counted from its raw
// JSON when the sessions table was designed (issue #16): if the oracle
// drifts from them, the oracle is wrong, not the warehouse.
func checkSampleActivity(t *testing.T, o *Oracle) {
	t.Helper()
	cohortUsers := 0
	for _, row := range o.Activity.Retention() {
		if f := strings.Split(row, "|"); f[2] == "0" {
			n := 0
			for _, c := range f[1] {
				n = 10*n + int(c-'0')
			}
			cohortUsers += n
		}
	}
	if len(o.Activity.Sessions) != 911 || o.Activity.Events != 7770 || o.Activity.Plays != 6820 || cohortUsers != 96 {
		t.Errorf("the sample's oracle: %d sessions, %d user events, %d plays, %d users in retention cohorts; want 911, 7770, 6820, 96",
			len(o.Activity.Sessions), o.Activity.Events, o.Activity.Plays, cohortUsers)
	}
}

// testSessionsMigration: a warehouse loaded before migrations 2 and 3 (no
// sessions table, no users.cancelled_at) gets both from its staged events
// when it migrates.
func testSessionsMigration(t *testing.T, open Opener) {
	data := CopySample(t, 0)
	wh := openT(t, open)
	Load(t, wh, data)
	for _, stmt := range []string{"DROP TABLE sessions", "ALTER TABLE users DROP COLUMN cancelled_at",
		"DELETE FROM sparkify_schema WHERE version IN (2, 3)"} {
		if _, err := wh.DB().Exec(stmt); err != nil {
			t.Fatalf("back to schema version 1: %s: %v", stmt, err)
		}
	}
	migrate(t, wh)
	o := NewOracle(t, data.Songs, data.Logs)
	checkSessions(t, wh.DB(), o.Activity)
	checkCancelled(t, wh.DB(), o.Activity)
}
