package warehousetest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testMatchOwnArtistName gives one artist_id two song files with different
// artist names (the artists row takes the more complete one's), and one
// song_id two files that disagree on the artist name: a play is credited to
// a song only when it names the artist as the catalog song does (its own
// file's name; for the doubled song, the file the songs rule picks), never
// by the name the artists row took.
func testMatchOwnArtistName(t *testing.T, open Opener) {
	data := NewFixture(t)
	lat, lon := 41.9, 12.5
	songs := []FixSong{
		{SongID: "SOX1", Title: "Xray", ArtistID: "ARX", ArtistName: "Xavier", Duration: 111, Year: 2000},
		{SongID: "SOX2", Title: "Yankee", ArtistID: "ARX", ArtistName: "Xavier & the Ys", Location: "Rome",
			Lat: &lat, Lon: &lon, Duration: 222, Year: 2001},
		// One song in two files: (title, artist_id, duration, year) agree,
		// so the first artist_name ("Xavier" < "Xavier & the Ys") wins.
		{SongID: "SOX3", Title: "Zulu", ArtistID: "ARX", ArtistName: "Xavier & the Ys", Duration: 333, Year: 2002},
		{SongID: "SOX3", Title: "Zulu", ArtistID: "ARX", ArtistName: "Xavier", Duration: 333, Year: 2002},
	}
	WriteSongs(t, data.Songs, songs)
	type play struct {
		song, artist string
		length       float64
		want         string // song_id by the rule, "" for NULL
	}
	plays := []play{
		{"Xray", "Xavier", 111, "SOX1"},            // SOX1's own file names Xavier
		{"Xray", "Xavier & the Ys", 111, ""},       // the artists row's name, not the song's
		{"Yankee", "Xavier & the Ys", 222, "SOX2"}, // SOX2's own file
		{"Yankee", "Xavier", 222, ""},
		{"Zulu", "Xavier", 333, "SOX3"},      // the songs row of SOX3 names Xavier
		{"Zulu", "Xavier & the Ys", 333, ""}, // the losing file's name
	}
	t0 := ms(2018, time.November, 15, 9, 0)
	var events []FixEvent
	for i, p := range plays {
		events = append(events, FixEvent{TS: t0 + int64(i)*60000, User: "5", First: "M", Last: "N", Level: "free",
			Session: 1, Item: int64(i), Song: p.song, Artist: p.artist, Length: p.length})
	}
	WriteEvents(t, filepath.Join(data.Logs, "events.json"), events)

	// The rule, from the fixture: the songs row of each song_id (first by
	// title, artist_id, duration, year, artist_name), matched on title,
	// artist name and duration.
	o := NewOracle(t, data.Songs, data.Logs)
	if a := o.Artists["ARX"]; a.Name != "Xavier & the Ys" {
		t.Fatalf("oracle artist %+v; the rule: the record with a location wins", a)
	}
	for _, p := range plays {
		for _, op := range o.Plays {
			if op.Song == p.song && op.Artist == p.artist && op.SongID != p.want {
				t.Fatalf("oracle credits %s by %s to %q, the rule to %q", p.song, p.artist, op.SongID, p.want)
			}
		}
	}
	wh := openT(t, open)
	Load(t, wh, data)
	got := map[string]string{}
	for _, row := range Dump(t, wh.DB(), "SELECT song_title, artist_name, song_id, artist_id FROM songplays") {
		cells := strings.Split(row, "|")
		title, artist, songID, artistID := cells[0], cells[1], cells[2], cells[3]
		if songID != "NULL" && artistID != "ARX" {
			t.Errorf("%s by %s: artist_id %s, want ARX", title, artist, artistID)
		}
		got[title+"|"+artist] = songID
	}
	for _, p := range plays {
		want := p.want
		if want == "" {
			want = "NULL"
		}
		if g := got[p.song+"|"+p.artist]; g != want {
			t.Errorf("play of %s by %q: song_id %s, want %s (match on the artist name of the catalog song's own file)", p.song, p.artist, g, want)
		}
	}
	checkPlays(t, wh.DB(), o)
	checkSongs(t, wh.DB(), o)
	checkArtists(t, wh.DB(), o)
	checkAllQueries(t, wh.DB(), o, 2018)
}
