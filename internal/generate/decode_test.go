package generate

import (
	"path/filepath"
	"testing"
)

// TestDefaultSetDecodes: every file of a default-size set decodes with zero
// rejects, and the summary says what the files hold.
func TestDefaultSetDecodes(t *testing.T) {
	o := DefaultOptions("")
	dir := filepath.Join(t.TempDir(), "data")
	ds, err := generateAndRead(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Songs) != o.Songs || len(ds.Logs) != o.Days {
		t.Errorf("%d song files and %d logs, want %d and %d", len(ds.Songs), len(ds.Logs), o.Songs, o.Days)
	}
	checkSummary(t, ds)
}

// checkSummary recounts a data set and compares with its Summary.
func checkSummary(t *testing.T, ds *dataSet) {
	t.Helper()
	var plays, matched, up, down, cancels, out int64
	catalog := catalogKeys(ds)
	users := map[string]bool{}
	artists := map[string]bool{}
	for _, s := range ds.Songs {
		artists[s.Song.ArtistID] = true
	}
	for _, e := range ds.Events {
		switch {
		case e.UserID == "":
			out++
		case e.IsPlay():
			plays++
			if catalog[playKey(e)] {
				matched++
			}
		case e.Page == "Submit Upgrade":
			up++
		case e.Page == "Submit Downgrade":
			down++
		case e.Page == "Cancellation Confirmation":
			cancels++
		}
		if e.UserID != "" {
			users[e.UserID] = true
		}
	}
	s := ds.Summary
	got := []int64{int64(len(ds.Songs)), int64(len(artists)), int64(len(ds.Logs)), int64(len(ds.Events)), plays, matched, up, down, cancels, out}
	want := []int64{int64(s.SongFiles), int64(s.Artists), int64(s.LogFiles), s.Events, s.Plays, s.Matched, s.Upgrades, s.Downgrades, s.Cancellations, s.LoggedOut}
	names := []string{"song files", "artists", "log files", "events", "plays", "matched plays", "upgrades", "downgrades", "cancellations", "logged-out events"}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: files hold %d, summary says %d", names[i], got[i], want[i])
		}
	}
	if len(users) > s.Users {
		t.Errorf("%d users in the logs, more than the %d generated", len(users), s.Users)
	}
}

type key struct {
	Title, Artist string
	Length        float64
}

// catalogKeys are the (title, artist, duration) of the song files: what a
// play must equal to join the songs table.
func catalogKeys(ds *dataSet) map[key]bool {
	m := make(map[key]bool, len(ds.Songs))
	for _, s := range ds.Songs {
		m[key{s.Song.Title, s.Song.ArtistName, s.Song.Duration}] = true
	}
	return m
}

func playKey(e logEvent) key { return key{e.Song.S, e.Artist.S, e.Length.F} }

func TestModerateSetDecodes(t *testing.T) {
	ds := moderate(t)
	if len(ds.Events) == 0 || len(ds.Songs) == 0 {
		t.Fatal("empty data set")
	}
	checkSummary(t, ds)
}
