package warehousetest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
)

// Activity is what the sessions table and users.cancelled_at must hold,
// computed from the raw events with a non-empty userId, each event once
// (by its id), independently of the SQL.
type Activity struct {
	Sessions  map[SessionKey]*SessionRow
	Cancelled map[string]int64 // user -> ts (ms) of the latest Cancellation Confirmation
	Events    int              // distinct events with a user
	Plays     int              // of which NextSong
	events    []rawEvent       // the distinct events with a user
}

// SessionKey identifies a session: sessionId is per user.
type SessionKey struct {
	UserID    string
	SessionID int64
}

// SessionRow is an expected sessions row.
type SessionRow struct {
	Start, End          int64 // ms
	Events, Plays       int
	Level               string
	Location, UserAgent string // "" is NULL
	last                rawEvent
}

// NewActivity reads every event log under logDir.
func NewActivity(t testing.TB, logDir string) *Activity {
	t.Helper()
	a := &Activity{Sessions: map[SessionKey]*SessionRow{}, Cancelled: map[string]int64{}}
	seen := map[int64]bool{}
	eachEvent(t, logDir, func(e rawEvent) {
		if e.UserID == "" || seen[oracleEventID(e)] {
			return
		}
		seen[oracleEventID(e)] = true
		a.add(e)
	})
	return a
}

// eachEvent calls fn with every event of every log file under dir.
func eachEvent(t testing.TB, dir string, fn func(rawEvent)) {
	t.Helper()
	walk(t, dir, func(data []byte) {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<26)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			var e rawEvent
			if err := json.Unmarshal(line, &e); err != nil {
				t.Fatalf("oracle: event: %v", err)
			}
			fn(e)
		}
	})
}

func (a *Activity) add(e rawEvent) {
	a.events = append(a.events, e)
	a.Events++
	k := SessionKey{e.UserID, e.SessionID}
	s := a.Sessions[k]
	if s == nil {
		s = &SessionRow{Start: e.TS, End: e.TS, last: e}
		a.Sessions[k] = s
	}
	s.Events++
	if e.Page == "NextSong" {
		s.Plays++
		a.Plays++
	}
	s.Start, s.End = min(s.Start, e.TS), max(s.End, e.TS)
	if laterInSession(e, s.last) {
		s.last = e
	}
	s.Level, s.Location, s.UserAgent = s.last.Level, deref(s.last.Location), deref(s.last.UserAgent)
	if e.Page == "Cancellation Confirmation" && e.TS > a.Cancelled[e.UserID] {
		a.Cancelled[e.UserID] = e.TS
	}
}

// laterInSession is the order of users.level (laterEvent), then location
// and user agent.
func laterInSession(a, b rawEvent) bool {
	if laterEvent(a, b) != laterEvent(b, a) {
		return laterEvent(a, b)
	}
	if deref(a.Location) != deref(b.Location) {
		return deref(a.Location) > deref(b.Location)
	}
	return deref(a.UserAgent) > deref(b.UserAgent)
}
