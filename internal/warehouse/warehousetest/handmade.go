package warehousetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Hand-made fixtures: small song and log folders written into a temp dir,
// for the rules the real sample cannot exercise (too few catalog matches,
// ties that all agree).

// FixEvent is one hand-made log event; Page "" means NextSong.
type FixEvent struct {
	TS                int64
	User, First, Last string
	Level             string
	Session, Item     int64
	Page              string
	Song, Artist      string
	Length            float64
}

// FixSong is one hand-made song file.
type FixSong struct {
	SongID, Title, ArtistID, ArtistName, Location string
	Duration                                      float64
	Year                                          int64
	Lat, Lon                                      *float64
}

// ms is a UTC wall time as epoch milliseconds.
func ms(year int, month time.Month, day, hour, min int) int64 {
	return time.Date(year, month, day, hour, min, 0, 0, time.UTC).UnixMilli()
}

func eventJSON(t testing.TB, e FixEvent) []byte {
	t.Helper()
	page := e.Page
	if page == "" {
		page = "NextSong"
	}
	m := map[string]any{
		"artist": nil, "auth": "Logged In", "firstName": e.First, "gender": "F", "itemInSession": e.Item,
		"lastName": e.Last, "length": nil, "level": e.Level, "location": "Here, XX", "method": "PUT",
		"page": page, "registration": 1540919166796.0, "sessionId": e.Session, "song": nil, "status": 200,
		"ts": e.TS, "userAgent": "test-agent", "userId": e.User,
	}
	if page == "NextSong" {
		m["artist"], m["song"], m["length"] = e.Artist, e.Song, e.Length
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// WriteEvents writes events as one JSON line each into path.
func WriteEvents(t testing.TB, path string, events []FixEvent) {
	t.Helper()
	var out []byte
	for _, e := range events {
		out = append(append(out, eventJSON(t, e)...), '\n')
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// WriteSongs writes each song into a file of its own under dir, named by
// its position (two files may hold the same song_id).
func WriteSongs(t testing.TB, dir string, songs []FixSong) {
	t.Helper()
	for i, s := range songs {
		b, err := json.Marshal(map[string]any{
			"num_songs": 1, "artist_id": s.ArtistID, "artist_latitude": s.Lat, "artist_longitude": s.Lon,
			"artist_location": s.Location, "artist_name": s.ArtistName, "song_id": s.SongID, "title": s.Title,
			"duration": s.Duration, "year": s.Year,
		})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "A", "B", "C", "TR"+string(rune('A'+i/26))+string(rune('A'+i%26))+".json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// NewFixture makes empty song_data and log_data folders in a temp dir.
func NewFixture(t testing.TB) Data {
	t.Helper()
	dir := t.TempDir()
	d := Data{Songs: filepath.Join(dir, "song_data"), Logs: filepath.Join(dir, "log_data")}
	for _, p := range []string{d.Songs, d.Logs} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return d
}
