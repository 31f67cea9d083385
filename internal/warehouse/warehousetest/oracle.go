package warehousetest

import (
	"bytes"
	"cmp"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Oracle is what the star schema must hold, computed straight from the raw
// files with encoding/json and crypto/md5, independently of the code under
// test.
type Oracle struct {
	Plays   map[int64]Play // by songplay_id
	Users   map[string]User
	Songs   map[string]SongRow
	Artists map[string]ArtistRow
	Times   map[int64]bool // distinct play timestamps (ms)
	Events  int            // all events
	// Levels are each user's periods at one level, oldest first: the
	// user's events in time order (ts, itemInSession, sessionId, free
	// before paid, names), a new period at every change of level.
	Levels map[string][]Period
	// Activity is what sessions, users.cancelled_at and the listening
	// queries must show.
	Activity *Activity
}

// Period is an expected user_levels row; To is 0 for the current period.
type Period struct {
	Level    string
	From, To int64 // ms
}

// Play is an expected songplays row.
type Play struct {
	TS                  int64
	UserID, Level       string
	SongID, ArtistID    string // "" when no exact match
	SessionID           int64
	Location, UserAgent string
	Song, Artist        string
	Length              float64
}

// User is an expected users row.
type User struct{ First, Last, Gender, Level string }

// SongRow is an expected songs row; Year 0 means NULL.
type SongRow struct {
	Title, ArtistID, ArtistName string
	Year                        int64
	Duration                    float64
}

// ArtistRow is an expected artists row.
type ArtistRow struct {
	Name, Location string // Location "" means NULL
	Lat, Lon       *float64
}

type rawEvent struct {
	Artist        *string  `json:"artist"`
	FirstName     *string  `json:"firstName"`
	Gender        *string  `json:"gender"`
	ItemInSession int64    `json:"itemInSession"`
	LastName      *string  `json:"lastName"`
	Length        *float64 `json:"length"`
	Level         string   `json:"level"`
	Location      *string  `json:"location"`
	Page          string   `json:"page"`
	SessionID     int64    `json:"sessionId"`
	Song          *string  `json:"song"`
	TS            int64    `json:"ts"`
	UserAgent     *string  `json:"userAgent"`
	UserID        string   `json:"userId"`
}

type rawSong struct {
	ArtistID string   `json:"artist_id"`
	Lat      *float64 `json:"artist_latitude"`
	Lon      *float64 `json:"artist_longitude"`
	Location *string  `json:"artist_location"`
	Name     string   `json:"artist_name"`
	SongID   string   `json:"song_id"`
	Title    string   `json:"title"`
	Duration float64  `json:"duration"`
	Year     int64    `json:"year"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// oracleEventID is md5("ts|userId|sessionId|itemInSession"), first 15 hex
// digits, as an integer: the documented songplay_id.
func oracleEventID(e rawEvent) int64 {
	sum := md5.Sum([]byte(fmt.Sprintf("%d|%s|%d|%d", e.TS, e.UserID, e.SessionID, e.ItemInSession)))
	n, _ := new(big.Int).SetString(hex.EncodeToString(sum[:])[:15], 16)
	return n.Int64()
}

// NewOracle reads every song file under songDir and event log under logDir.
func NewOracle(t testing.TB, songDir, logDir string) *Oracle {
	t.Helper()
	o := &Oracle{Plays: map[int64]Play{}, Users: map[string]User{}, Songs: map[string]SongRow{},
		Artists: map[string]ArtistRow{}, Times: map[int64]bool{}}
	var songs []rawSong
	walk(t, songDir, func(data []byte) {
		var s rawSong
		if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &s); err != nil {
			t.Fatalf("oracle: song: %v", err)
		}
		songs = append(songs, s)
	})
	o.addSongs(songs)
	type key struct {
		title, artist string
		dur           float64
	}
	// The catalog plays are matched against: the songs rows (one per
	// song_id, with the artist name of that song's own file), the smallest
	// song_id when several share title, artist name and duration.
	match := map[key]string{}
	for id, s := range o.Songs {
		k := key{s.Title, s.ArtistName, s.Duration}
		if m, ok := match[k]; !ok || id < m {
			match[k] = id
		}
	}
	latest := map[string]rawEvent{}
	byUser := map[string][]rawEvent{}
	eachEvent(t, logDir, func(e rawEvent) {
		o.Events++
		if e.UserID != "" {
			if l, ok := latest[e.UserID]; !ok || laterEvent(e, l) {
				latest[e.UserID] = e
			}
			if e.Level != "" {
				byUser[e.UserID] = append(byUser[e.UserID], e)
			}
		}
		if e.Page != "NextSong" || e.UserID == "" {
			return
		}
		p := Play{TS: e.TS, UserID: e.UserID, Level: e.Level, SessionID: e.SessionID,
			Location: deref(e.Location), UserAgent: deref(e.UserAgent), Song: deref(e.Song), Artist: deref(e.Artist)}
		if e.Length != nil {
			p.Length = *e.Length
		}
		if id, ok := match[key{p.Song, p.Artist, p.Length}]; ok {
			p.SongID = id
			p.ArtistID = o.Songs[id].ArtistID
		}
		// An event seen twice is one play: the smallest copy by content
		// (one load holds every file here).
		if q, ok := o.Plays[oracleEventID(e)]; !ok || playBefore(p, q) {
			o.Plays[oracleEventID(e)] = p
		}
		o.Times[e.TS] = true
	})
	for id, e := range latest {
		o.Users[id] = User{deref(e.FirstName), deref(e.LastName), deref(e.Gender), e.Level}
	}
	o.Levels = map[string][]Period{}
	for id, evs := range byUser {
		sort.Slice(evs, func(i, j int) bool { return laterEvent(evs[j], evs[i]) })
		var ps []Period
		for _, e := range evs {
			if n := len(ps); n > 0 && ps[n-1].Level == e.Level {
				continue
			} else if n > 0 {
				ps[n-1].To = e.TS
			}
			ps = append(ps, Period{Level: e.Level, From: e.TS})
		}
		o.Levels[id] = ps
	}
	o.Activity = NewActivity(t, logDir)
	return o
}

// playBefore orders two copies of one event as transform_songplays does
// within a load: level, song, artist, length, location, user agent.
func playBefore(a, b Play) bool {
	return cmp.Or(cmp.Compare(a.Level, b.Level), cmp.Compare(a.Song, b.Song), cmp.Compare(a.Artist, b.Artist),
		cmp.Compare(a.Length, b.Length), cmp.Compare(a.Location, b.Location), cmp.Compare(a.UserAgent, b.UserAgent)) < 0
}

// laterEvent orders a user's events: ts, then itemInSession, sessionId,
// level (paid after free), names.
func laterEvent(a, b rawEvent) bool {
	ka := []string{fmt.Sprintf("%020d", a.TS), fmt.Sprintf("%020d", a.ItemInSession), fmt.Sprintf("%020d", a.SessionID), a.Level, deref(a.FirstName), deref(a.LastName), deref(a.Gender)}
	kb := []string{fmt.Sprintf("%020d", b.TS), fmt.Sprintf("%020d", b.ItemInSession), fmt.Sprintf("%020d", b.SessionID), b.Level, deref(b.FirstName), deref(b.LastName), deref(b.Gender)}
	return strings.Join(ka, "\x00") > strings.Join(kb, "\x00")
}

// addSongs applies the documented rules: one song per song_id (first by
// title, artist_id, duration, year, artist_name), one artist per artist_id
// (a location first, then coordinates, then name, location, lat, lon).
func (o *Oracle) addSongs(songs []rawSong) {
	bySong := map[string][]rawSong{}
	byArtist := map[string][]rawSong{}
	for _, s := range songs {
		bySong[s.SongID] = append(bySong[s.SongID], s)
		byArtist[s.ArtistID] = append(byArtist[s.ArtistID], s)
	}
	for id, ss := range bySong {
		sort.Slice(ss, func(i, j int) bool {
			a, b := ss[i], ss[j]
			if a.Title != b.Title {
				return a.Title < b.Title
			}
			if a.ArtistID != b.ArtistID {
				return a.ArtistID < b.ArtistID
			}
			if a.Duration != b.Duration {
				return a.Duration < b.Duration
			}
			if a.Year != b.Year {
				return a.Year < b.Year
			}
			return a.Name < b.Name
		})
		s := ss[0]
		o.Songs[id] = SongRow{Title: s.Title, ArtistID: s.ArtistID, ArtistName: s.Name, Year: s.Year, Duration: s.Duration}
	}
	for id, ss := range byArtist {
		rank := func(s rawSong) int {
			r := 0
			if deref(s.Location) == "" {
				r += 2
			}
			if s.Lat == nil || s.Lon == nil {
				r++
			}
			return r
		}
		sort.Slice(ss, func(i, j int) bool {
			a, b := ss[i], ss[j]
			if rank(a) != rank(b) {
				return rank(a) < rank(b)
			}
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return deref(a.Location) < deref(b.Location)
		})
		s := ss[0]
		o.Artists[id] = ArtistRow{Name: s.Name, Location: deref(s.Location), Lat: s.Lat, Lon: s.Lon}
	}
}

func walk(t testing.TB, dir string, fn func([]byte)) {
	t.Helper()
	WalkJSON(t, dir, func(_ string, data []byte) { fn(data) })
}

// WalkJSON calls fn with the path relative to dir and the content of every
// .json file under dir.
func WalkJSON(t testing.TB, dir string, fn func(rel string, data []byte)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fn(rel, data)
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
}

// isoWeekday is Go's view of week and weekday (0 = Sunday), the oracle for
// the time table.
func isoWeekday(ms int64) (week, weekday int) {
	tm := time.UnixMilli(ms).UTC()
	_, w := tm.ISOWeek()
	return w, int(tm.Weekday())
}
