package warehousetest

import (
	"strings"
	"testing"
	"time"
)

// testLongMultibyteValues loads names far longer than the Sparkify data's
// and in a script of 3 bytes a character: every engine loads them whole
// (Redshift's VARCHAR(n) counts bytes, so its columns must be wide enough
// for what DuckDB and PostgreSQL take), and the play still matches its
// catalog song.
func testLongMultibyteValues(t *testing.T, open Opener) {
	data := NewFixture(t)
	title := strings.Repeat("歌", 200)     // 600 bytes
	artist := strings.Repeat("楽団", 150)   // 900 bytes
	location := strings.Repeat("東京", 200) // 1200 bytes
	first := strings.Repeat("名", 100)     // 300 bytes
	WriteSongs(t, data.Songs, []FixSong{{SongID: "SOLONG", Title: title, ArtistID: "ARLONG", ArtistName: artist,
		Location: location, Duration: 245.5, Year: 2010}})
	WriteEvents(t, data.Logs+"/2018-11-21-events.json", []FixEvent{{TS: ms(2018, time.November, 21, 8, 0),
		User: "9", First: first, Last: "L", Level: "paid", Session: 5, Item: 0, Song: title, Artist: artist, Length: 245.5}})
	wh := openT(t, open)
	res := Load(t, wh, data)
	if n := res.Source("log").LinesRejected + res.Source("song").LinesRejected; n != 0 {
		t.Fatalf("%d lines rejected", n)
	}
	want := map[string][]string{
		"SELECT song_id, title, artist_name FROM songs":          {"SOLONG|" + title + "|" + artist},
		"SELECT artist_id, name, location FROM artists":          {"ARLONG|" + artist + "|" + location},
		"SELECT user_id, first_name FROM users":                  {"9|" + first},
		"SELECT song_id, song_title, artist_name FROM songplays": {"SOLONG|" + title + "|" + artist},
	}
	for q, w := range want {
		if got := Dump(t, wh.DB(), q); strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Errorf("%s: got %d rows (%d bytes), want the values whole", q, len(got), len(strings.Join(got, "")))
		}
	}
}
