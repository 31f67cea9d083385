package warehousetest

import (
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
)

// latestLevel is the README's rule for users.level, computed from the
// fixture's events: the latest event by ts; ties broken by itemInSession,
// sessionId, then paid before free.
func latestLevel(events []FixEvent) map[string]FixEvent {
	byUser := map[string][]FixEvent{}
	for _, e := range events {
		byUser[e.User] = append(byUser[e.User], e)
	}
	out := map[string]FixEvent{}
	for u, evs := range byUser {
		sort.SliceStable(evs, func(i, j int) bool {
			a, b := evs[i], evs[j]
			switch {
			case a.TS != b.TS:
				return a.TS > b.TS
			case a.Item != b.Item:
				return a.Item > b.Item
			case a.Session != b.Session:
				return a.Session > b.Session
			}
			return a.Level == "paid" && b.Level == "free"
		})
		out[u] = evs[0]
	}
	return out
}

// testUserLevelTies loads two log files in one order, then (into a new
// warehouse) with their names swapped so they are read in the other: each
// user's level and names are those of the latest event by the rule, whatever
// the order. The users tie on ts in every way the rule breaks, and one has
// their latest event in the file that sorts first.
func testUserLevelTies(t *testing.T, open Opener) {
	t0 := ms(2018, time.November, 20, 12, 0)
	home := func(e FixEvent) FixEvent { e.Page = "Home"; return e }
	play := func(e FixEvent) FixEvent {
		e.Song, e.Artist, e.Length = "Tie Song", "Tie Artist", 180
		return e
	}
	// first and second are the two files' events, first by name first.
	first := []FixEvent{
		// user 1: same ts, itemInSession 5 (free) beats 4 (paid).
		play(FixEvent{TS: t0 - 60000, User: "1", First: "Old", Last: "One", Level: "paid", Session: 10, Item: 3}),
		play(FixEvent{TS: t0, User: "1", First: "Late", Last: "One", Level: "free", Session: 10, Item: 5}),
		// user 2: same ts and item, sessionId 20 (paid) loses to 21.
		home(FixEvent{TS: t0, User: "2", First: "Lower", Last: "Two", Level: "paid", Session: 20, Item: 3}),
		// user 3: same ts, item and session: paid beats free.
		home(FixEvent{TS: t0, User: "3", First: "Three", Last: "Three", Level: "free", Session: 30, Item: 1}),
		// user 4: the latest event is in this file, read first.
		play(FixEvent{TS: t0 + 3600000, User: "4", First: "Newest", Last: "Four", Level: "paid", Session: 40, Item: 9}),
		// user 6: paid for no time at all (item 1), free again at item 2 of
		// the same ts: a zero-length period, listed before the open one.
		home(FixEvent{TS: t0, User: "6", First: "Six", Last: "Six", Level: "free", Session: 60, Item: 2}),
	}
	second := []FixEvent{
		play(FixEvent{TS: t0, User: "1", First: "Early", Last: "One", Level: "paid", Session: 10, Item: 4}),
		home(FixEvent{TS: t0, User: "2", First: "Higher", Last: "Two", Level: "free", Session: 21, Item: 3}),
		play(FixEvent{TS: t0 - 1000, User: "2", First: "Lower", Last: "Two", Level: "paid", Session: 20, Item: 2}),
		home(FixEvent{TS: t0, User: "3", First: "Three", Last: "Three", Level: "paid", Session: 30, Item: 1}),
		play(FixEvent{TS: t0 - 5000, User: "3", First: "Three", Last: "Three", Level: "free", Session: 30, Item: 0}),
		play(FixEvent{TS: t0, User: "4", First: "Older", Last: "Four", Level: "free", Session: 40, Item: 10}),
		play(FixEvent{TS: t0 + 60000, User: "4", First: "Older", Last: "Four", Level: "free", Session: 40, Item: 11}),
		play(FixEvent{TS: t0 - 1000, User: "6", First: "Six", Last: "Six", Level: "free", Session: 60, Item: 0}),
		home(FixEvent{TS: t0, User: "6", First: "Six", Last: "Six", Level: "paid", Session: 60, Item: 1}),
	}
	want := latestLevel(append(append([]FixEvent{}, first...), second...))
	// The fixture must exercise the rule: derived by hand from the events.
	for u, w := range map[string]string{"1": "free/Late", "2": "free/Higher", "3": "paid/Three", "4": "paid/Newest", "6": "free/Six"} {
		if got := want[u].Level + "/" + want[u].First; got != w {
			t.Fatalf("rule on the fixture: user %s %s, derived by hand %s", u, got, w)
		}
	}
	songs := []FixSong{{SongID: "SOTIE", Title: "Tie Song", ArtistID: "ARTIE", ArtistName: "Tie Artist", Duration: 180}}
	for _, names := range [][2]string{{"a-events.json", "b-events.json"}, {"b-events.json", "a-events.json"}} {
		t.Run(names[0]+"_first", func(t *testing.T) {
			data := NewFixture(t)
			WriteSongs(t, data.Songs, songs)
			WriteEvents(t, filepath.Join(data.Logs, names[0]), first)
			WriteEvents(t, filepath.Join(data.Logs, names[1]), second)
			wh := openT(t, open)
			Load(t, wh, data)
			got := map[string]string{}
			for _, row := range Dump(t, wh.DB(), "SELECT user_id, level, first_name FROM users ORDER BY user_id") {
				got[row[:1]] = row[2:]
			}
			for u, e := range want {
				if w := e.Level + "|" + e.First; got[u] != w {
					t.Errorf("user %s: level|first_name %q, want %q (latest event by ts; ties by itemInSession, sessionId, paid before free)", u, got[u], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("users: %v, want %d users", got, len(want))
			}
			o := NewOracle(t, data.Songs, data.Logs)
			checkUsers(t, wh.DB(), o)
			checkUserLevels(t, wh.DB())
			for u := range want {
				compareQuery(t, wh.DB(), o, "level-history", analytics.Args{User: u})
			}
			if n := len(o.LevelHistory("6")); n != 3 {
				t.Errorf("user 6 has %d periods in the oracle, want 3 (free, paid for no time, free)", n)
			}
			compareQuery(t, wh.DB(), o, "conversions", analytics.Args{})
		})
	}
}
