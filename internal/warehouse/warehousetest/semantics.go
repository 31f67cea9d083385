package warehousetest

import (
	"context"
	"database/sql"
	"math"
	"testing"
	"time"
)

// testSampleSemantics loads the whole sample and checks every star row
// against the oracle computed from the raw files.
func testSampleSemantics(t *testing.T, open Opener) {
	wh := openT(t, open)
	data := CopySample(t, 0)
	o := NewOracle(t, data.Songs, data.Logs)
	res := Load(t, wh, data)

	// Counts the result reports add up, per source.
	for _, s := range res.Sources {
		if s.LinesRead != s.LinesLoaded+s.LinesRejected {
			t.Errorf("%s: read %d != loaded %d + rejected %d", s.Kind, s.LinesRead, s.LinesLoaded, s.LinesRejected)
		}
	}
	if got := res.Source("log").LinesRead; got != int64(o.Events) {
		t.Errorf("log lines read %d, raw files hold %d events", got, o.Events)
	}
	checkPlays(t, wh.DB(), o)
	checkUsers(t, wh.DB(), o)
	checkSongs(t, wh.DB(), o)
	checkArtists(t, wh.DB(), o)
	checkTime(t, wh.DB(), o)
	checkUserLevels(t, wh.DB())
	checkSessions(t, wh.DB(), o.Activity)
	checkCancelled(t, wh.DB(), o.Activity)
	checkSampleActivity(t, o)
}

func checkPlays(t *testing.T, db *sql.DB, o *Oracle) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT songplay_id, start_time, user_id, level, song_id, artist_id,
		session_id, location, user_agent, song_title, artist_name, song_length FROM songplays`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[int64]bool{}
	matched := 0
	for rows.Next() {
		var id, session int64
		var start time.Time
		var user, level string
		var songID, artistID, loc, ua, title, artist sql.NullString
		var length sql.NullFloat64
		if err := rows.Scan(&id, &start, &user, &level, &songID, &artistID, &session, &loc, &ua, &title, &artist, &length); err != nil {
			t.Fatal(err)
		}
		if seen[id] {
			t.Errorf("songplay_id %d appears twice", id)
		}
		seen[id] = true
		p, ok := o.Plays[id]
		if !ok {
			t.Errorf("songplay_id %d is not the id of any NextSong event", id)
			continue
		}
		if !start.Equal(time.UnixMilli(p.TS)) {
			t.Errorf("play %d: start_time %v, want ts %d = %v", id, start, p.TS, time.UnixMilli(p.TS).UTC())
		}
		if user != p.UserID || level != p.Level || session != p.SessionID || loc.String != p.Location || ua.String != p.UserAgent {
			t.Errorf("play %d: got %s %s %d %q %q, want %+v", id, user, level, session, loc.String, ua.String, p)
		}
		if title.String != p.Song || artist.String != p.Artist || length.Float64 != p.Length {
			t.Errorf("play %d: event song fields %q %q %v, want %q %q %v", id, title.String, artist.String, length.Float64, p.Song, p.Artist, p.Length)
		}
		if songID.String != p.SongID || artistID.String != p.ArtistID || songID.Valid != (p.SongID != "") {
			t.Errorf("play %d: credited to song %v artist %v, want %q %q (exact title+artist+length match only)", id, songID, artistID, p.SongID, p.ArtistID)
		}
		if songID.Valid {
			matched++
		}
	}
	if len(seen) != len(o.Plays) {
		t.Errorf("songplays has %d rows; the raw files hold %d NextSong events with a user", len(seen), len(o.Plays))
	}
	want := 0
	for _, p := range o.Plays {
		if p.SongID != "" {
			want++
		}
	}
	if matched != want {
		t.Errorf("%d plays credited to a catalog song, want %d", matched, want)
	}
}

func checkUsers(t *testing.T, db *sql.DB, o *Oracle) {
	t.Helper()
	rows, err := db.Query(`SELECT user_id, first_name, last_name, gender, level FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var first, last, gender, level sql.NullString
		rows.Scan(&id, &first, &last, &gender, &level)
		n++
		u, ok := o.Users[id]
		if !ok {
			t.Errorf("user %q is not in any event", id)
			continue
		}
		if (User{first.String, last.String, gender.String, level.String}) != u {
			t.Errorf("user %s: got %s %s %s %s, want %+v (from the latest event)", id, first.String, last.String, gender.String, level.String, u)
		}
	}
	if n != len(o.Users) {
		t.Errorf("users has %d rows, want %d (distinct non-empty userIds)", n, len(o.Users))
	}
}

func checkSongs(t *testing.T, db *sql.DB, o *Oracle) {
	t.Helper()
	rows, err := db.Query(`SELECT song_id, title, artist_id, year, duration, artist_name FROM songs`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, title, artistID, artistName string
		var year sql.NullInt64
		var dur float64
		rows.Scan(&id, &title, &artistID, &year, &dur, &artistName)
		n++
		s := o.Songs[id]
		if title != s.Title || artistID != s.ArtistID || dur != s.Duration || artistName != s.ArtistName {
			t.Errorf("song %s: got %q %s %v %q, want %+v", id, title, artistID, dur, artistName, s)
		}
		if year.Valid != (s.Year != 0) || year.Int64 != s.Year {
			t.Errorf("song %s: year %v, want %d (0 becomes NULL)", id, year, s.Year)
		}
	}
	if n != len(o.Songs) {
		t.Errorf("songs has %d rows, want %d", n, len(o.Songs))
	}
}

func checkArtists(t *testing.T, db *sql.DB, o *Oracle) {
	t.Helper()
	rows, err := db.Query(`SELECT artist_id, name, location, latitude, longitude FROM artists`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, name string
		var loc sql.NullString
		var lat, lon sql.NullFloat64
		rows.Scan(&id, &name, &loc, &lat, &lon)
		n++
		a := o.Artists[id]
		if name != a.Name || loc.Valid != (a.Location != "") || loc.String != a.Location {
			t.Errorf("artist %s: %q %v, want %+v (empty location is NULL)", id, name, loc, a)
		}
		for _, c := range []struct {
			got  sql.NullFloat64
			want *float64
		}{{lat, a.Lat}, {lon, a.Lon}} {
			if math.IsNaN(c.got.Float64) {
				t.Errorf("artist %s: NaN coordinate", id)
			}
			if c.got.Valid != (c.want != nil) || (c.want != nil && c.got.Float64 != *c.want) {
				t.Errorf("artist %s: coordinate %v, want %v (missing is NULL)", id, c.got, c.want)
			}
		}
	}
	if n != len(o.Artists) {
		t.Errorf("artists has %d rows, want %d", n, len(o.Artists))
	}
}

func checkTime(t *testing.T, db *sql.DB, o *Oracle) {
	t.Helper()
	rows, err := db.Query(`SELECT start_time, hour, day, week, month, year, weekday FROM time`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var st time.Time
		var h, d, w, m, y, wd int
		rows.Scan(&st, &h, &d, &w, &m, &y, &wd)
		n++
		ms := st.UnixMilli()
		if !o.Times[ms] {
			t.Errorf("time %v is not the start of any play", st)
		}
		u := st.UTC()
		week, weekday := isoWeekday(ms)
		if h != u.Hour() || d != u.Day() || m != int(u.Month()) || y != u.Year() || w != week || wd != weekday {
			t.Errorf("time %v: got h%d d%d w%d m%d y%d wd%d; want ISO week %d and weekday %d (Sunday=0)", u, h, d, w, m, y, wd, week, weekday)
		}
	}
	if n != len(o.Times) {
		t.Errorf("time has %d rows, want %d distinct play timestamps", n, len(o.Times))
	}
}

// checkUserLevels checks the periods join up and end at the users' level.
func checkUserLevels(t *testing.T, db *sql.DB) {
	t.Helper()
	q := func(query string) int64 { return count(t, db, query) }
	if n := q(`SELECT COUNT(*) FROM user_levels WHERE valid_to IS NULL`); n != q(`SELECT COUNT(*) FROM users`) {
		t.Errorf("%d open periods, want one per user", n)
	}
	if n := q(`SELECT COUNT(*) FROM user_levels l JOIN users u ON u.user_id = l.user_id
		WHERE l.valid_to IS NULL AND l.level <> u.level`); n != 0 {
		t.Errorf("%d users whose current period's level is not users.level", n)
	}
	if n := q(`SELECT COUNT(*) FROM user_levels a JOIN user_levels b ON a.user_id = b.user_id
		AND a.valid_to = b.valid_from AND a.level = b.level
		AND NOT EXISTS (SELECT 1 FROM user_levels c WHERE c.user_id = a.user_id
		                AND c.valid_from = a.valid_to AND c.valid_to = a.valid_to)`); n != 0 {
		// (A zero-length period between two at the same level is a change
		// and back at one instant: they are not adjacent.)
		t.Errorf("%d adjacent periods at the same level (should be one)", n)
	}
}
