package warehousetest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeSongFile writes one song file under the sample's song_data/Z/Z.
func writeSongFile(t *testing.T, data Data, name, body string) {
	t.Helper()
	p := filepath.Join(data.Songs, "Z", "Z", name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	os.Chtimes(p, future, future)
}

// testConflictingSongsAcrossLoads: two files of different loads disagree
// about a song (and an artist). The rule is the one of a single load over
// all the files: the record that sorts first wins, whichever load brought
// it, so the incremental state equals a full load of the same files.
func testConflictingSongsAcrossLoads(t *testing.T, open Opener) {
	data := CopySample(t, 1)
	// Load 1: "Another One", which sorts before the later load's "One".
	writeSongFile(t, data, "TRZ4.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": 1.5, "artist_longitude": 2.5, "artist_location": "Paris", "artist_name": "Zed", "song_id": "SOZ1", "title": "Another One", "duration": 100.5, "year": 1999}`)
	wh := openT(t, open)
	Load(t, wh, data)
	// Load 2: another record of SOZ1, and a less complete one of ARZZZ.
	writeSongFile(t, data, "TRZ1.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": null, "artist_longitude": null, "artist_location": "", "artist_name": "Zed", "song_id": "SOZ1", "title": "One", "duration": 100.5, "year": 0}`)
	writeSongFile(t, data, "TRZ3.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": null, "artist_longitude": null, "artist_location": "Berlin", "artist_name": "Zed", "song_id": "SOZ3", "title": "Three", "duration": 300, "year": 2002}`)
	res := Load(t, wh, data)
	if s := res.Source("song"); s.FilesNew != 2 {
		t.Errorf("second load: %d new song files, want 2", s.FilesNew)
	}
	o := NewOracle(t, data.Songs, data.Logs)
	if s := o.Songs["SOZ1"]; s.Title != "Another One" {
		t.Fatalf("oracle picked %+v; the rule is: the record that sorts first", s)
	}
	checkSongs(t, wh.DB(), o)
	checkArtists(t, wh.DB(), o)
	assertSameStar(t, "after a conflicting song in a later load", DumpStar(t, wh.DB()), fullLoad(t, open, data))
}

// testChangedSongFile: a song file changes (its title, to one that sorts
// after the old): its old record goes, the new one is the song.
func testChangedSongFile(t *testing.T, open Opener) {
	data := CopySample(t, 1)
	writeSongFile(t, data, "TRZ1.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": null, "artist_longitude": null, "artist_location": "", "artist_name": "Zed", "song_id": "SOZ1", "title": "One", "duration": 100.5, "year": 0}`)
	wh := openT(t, open)
	Load(t, wh, data)
	writeSongFile(t, data, "TRZ1.json", `{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": 1.5, "artist_longitude": 2.5, "artist_location": "Paris", "artist_name": "Zed", "song_id": "SOZ1", "title": "One (Remastered)", "duration": 100.5, "year": 2001}`)
	res := Load(t, wh, data)
	if s := res.Source("song"); s.FilesChanged != 1 {
		t.Errorf("second load: %d changed song files, want 1", s.FilesChanged)
	}
	o := NewOracle(t, data.Songs, data.Logs)
	checkSongs(t, wh.DB(), o)
	checkArtists(t, wh.DB(), o)
	if n := count(t, wh.DB(), "SELECT COUNT(*) FROM staging_songs WHERE song_id = 'SOZ1'"); n != 1 {
		t.Errorf("staging holds %d records of SOZ1, want 1: the old version was not removed", n)
	}
	assertSameStar(t, "after a changed song file", DumpStar(t, wh.DB()), fullLoad(t, open, data))
}
