package warehousetest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// testDuplicateEventsPickByContent stages copies of one event that differ
// in content, within one file and across two files of one load (on
// Redshift: one shared COPY, whose rows have no line number and one file
// id). Every engine must make the same play of them: the smallest copy by
// content (level, song, artist, length, location, user agent), whatever
// the order of lines and files; and again when a changed file brings a
// copy back (transform_songplays_replaced).
func testDuplicateEventsPickByContent(t *testing.T, open Opener) {
	data := NewFixture(t)
	t0 := ms(2018, time.November, 20, 10, 0)
	ev := func(item int64, song string, length float64) FixEvent {
		return FixEvent{TS: t0 + item*60000, User: "7", First: "D", Last: "U", Level: "free",
			Session: 3, Item: item, Song: song, Artist: "Band", Length: length}
	}
	// Event 1 twice in one file, the larger copy first; event 2 in two
	// files, the larger copy in the file listed (and numbered) first.
	first := filepath.Join(data.Logs, "2018-11-20-a.json")
	WriteEvents(t, first, []FixEvent{ev(1, "Same", 300.5), ev(1, "Same", 120.25), ev(2, "Zebra", 200)})
	WriteEvents(t, filepath.Join(data.Logs, "2018-11-20-b.json"), []FixEvent{ev(2, "Apple", 200), ev(3, "Solo", 99)})
	// The expected plays, from the rule: event 1 -> the 120.25 copy,
	// event 2 -> "Apple" < "Zebra".
	want := []string{"Same|120.25", "Apple|200", "Solo|99"}

	o := NewOracle(t, data.Songs, data.Logs)
	if len(o.Plays) != 3 {
		t.Fatalf("oracle: %d plays, want 3", len(o.Plays))
	}
	wh := openT(t, open)
	Load(t, wh, data)
	const plays = "SELECT song_title, song_length FROM songplays ORDER BY start_time"
	got := Dump(t, wh.DB(), plays)
	if !slices.Equal(got, want) {
		t.Errorf("first load: plays %v, want %v", got, want)
	}
	checkPlays(t, wh.DB(), o)

	// A changed first file (one more event) is replaced: its copies go and
	// come back, with event 2's copy in the other file.
	WriteEvents(t, first, []FixEvent{ev(1, "Same", 300.5), ev(1, "Same", 120.25), ev(2, "Zebra", 200), ev(4, "More", 50)})
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(first, future, future); err != nil {
		t.Fatal(err)
	}
	Load(t, wh, data)
	want = append(want, "More|50")
	if got := Dump(t, wh.DB(), plays); !slices.Equal(got, want) {
		t.Errorf("after the changed file: plays %v, want %v", got, want)
	}
	checkPlays(t, wh.DB(), NewOracle(t, data.Songs, data.Logs))
}
