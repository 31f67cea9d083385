package warehousetest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
)

// catalogFixture is a catalog whose plays tie on every key the catalog
// queries break ties by. The ids are chosen so that ordering by id instead
// of by name or title gives other rows.
func catalogFixture(t *testing.T) (Data, []FixEvent) {
	t.Helper()
	d := NewFixture(t)
	WriteSongs(t, d.Songs, []FixSong{
		{SongID: "SOZZZ", Title: "Alpha", ArtistID: "ARZANN", ArtistName: "Ann", Duration: 100, Year: 2001},
		{SongID: "SOAAA", Title: "Alpha", ArtistID: "ARBOB", ArtistName: "Bob", Duration: 150, Year: 2002},
		{SongID: "SOYBETA", Title: "Beta", ArtistID: "ARZANN", ArtistName: "Ann", Duration: 200},
		{SongID: "SOGAMMA", Title: "Gamma", ArtistID: "ARBOB", ArtistName: "Bob", Duration: 300},
		{SongID: "SOZDELTA", Title: "Delta", ArtistID: "ARZCAT", ArtistName: "Cat", Duration: 120},
		{SongID: "SOAECHO", Title: "Echo", ArtistID: "ARWANN", ArtistName: "Ann", Duration: 130},
		{SongID: "SOFOX", Title: "Foxtrot", ArtistID: "ARYEVE", ArtistName: "Eve", Duration: 140},
		{SongID: "SOGOLF", Title: "Golf", ArtistID: "ARXFAY", ArtistName: "Fay", Duration: 160},
	})
	type play struct {
		song, artist string
		length       float64
		n            int
	}
	plays2018 := []play{
		{"Alpha", "Ann", 100, 3}, {"Alpha", "Bob", 150, 3}, {"Beta", "Ann", 200, 2}, {"Gamma", "Bob", 300, 2},
		{"Delta", "Cat", 120, 1}, {"Echo", "Ann", 130, 1}, {"Foxtrot", "Eve", 140, 1}, {"Golf", "Fay", 160, 1},
		{"No Such Song", "Nobody", 99, 4}, // not in the catalog
		{"Alpha", "Ann", 101, 1},          // another length: no match
	}
	plays2019 := []play{{"Golf", "Fay", 160, 4}, {"Delta", "Cat", 120, 1}}
	users := []string{"9", "10", "100", "7"}
	var events []FixEvent
	item := int64(0)
	add := func(base int64, ps []play) {
		for _, p := range ps {
			for i := 0; i < p.n; i++ {
				u := users[int(item)%len(users)]
				level := "paid"
				if u == "100" || (u == "7" && item < 8) {
					level = "free" // user 7 upgrades part-way
				}
				// Spread over hours and weekdays: 7 h 13 min apart.
				ts := base + item*(7*3600+13*60)*1000
				events = append(events, FixEvent{TS: ts, User: u, First: "F" + u, Last: "L" + u, Level: level,
					Session: 1, Item: item, Song: p.song, Artist: p.artist, Length: p.length})
				item++
			}
		}
	}
	add(ms(2018, time.November, 3, 1, 0), plays2018)
	add(ms(2019, time.January, 10, 1, 0), plays2019)
	WriteEvents(t, filepath.Join(d.Logs, "events.json"), events)
	return d, events
}

// testCatalogQueries proves top-songs and top-artists (and every other
// named query) on a fixture with many catalog matches, ties and two years:
// the oracle's answer, which must also be the one derived by hand below.
func testCatalogQueries(t *testing.T, open Opener) {
	data, _ := catalogFixture(t)
	o := NewOracle(t, data.Songs, data.Logs)
	// Derived by hand from the fixture: 2018 counts per catalog song, ties
	// by title then song_id (SOAAA < SOZZZ puts Bob's Alpha first), 1-play
	// songs by title; per artist, Ann (ARZANN: Alpha 3 + Beta 2) and Bob
	// (ARBOB: 3 + 2) tie at 5 and go by name, not id (ARBOB < ARZANN), as
	// do the 1-play artists (Ann ARWANN, Cat, Eve; Fay cut by the limit).
	// Golf's 4 plays are in 2019 and must not count.
	hand := map[string][]string{
		"top-songs":   {"Alpha|Bob|3", "Alpha|Ann|3", "Beta|Ann|2", "Gamma|Bob|2", "Delta|Cat|1"},
		"top-artists": {"Ann|5", "Bob|5", "Ann|1", "Cat|1", "Eve|1"},
	}
	if got := o.TopSongs(2018, 5); strings.Join(got, ",") != strings.Join(hand["top-songs"], ",") {
		t.Fatalf("oracle top-songs %q, derived by hand %q", got, hand["top-songs"])
	}
	if got := o.TopArtists(2018, 5); strings.Join(got, ",") != strings.Join(hand["top-artists"], ",") {
		t.Fatalf("oracle top-artists %q, derived by hand %q", got, hand["top-artists"])
	}
	if got := o.TopSongs(2019, 5); strings.Join(got, ",") != "Golf|Fay|4,Delta|Cat|1" {
		t.Fatalf("oracle top-songs 2019 %q", got)
	}
	wh := openT(t, open)
	Load(t, wh, data)
	checkPlays(t, wh.DB(), o)
	checkSongs(t, wh.DB(), o)
	checkArtists(t, wh.DB(), o)
	for _, year := range []int{2018, 2019} {
		checkAllQueries(t, wh.DB(), o, year)
	}
	// The limit is applied after the order: the top 2 are the first 2.
	compareQuery(t, wh.DB(), o, "top-songs", analytics.Args{Year: 2018, Limit: 2})
	compareQuery(t, wh.DB(), o, "top-artists", analytics.Args{Year: 2018, Limit: 3})
	if len(o.Conversions("", "")) == 0 {
		t.Error("the fixture has no level change: conversions proves nothing")
	}
}
