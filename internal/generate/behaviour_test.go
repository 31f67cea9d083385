package generate

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/testutil"
)

// matchRate joins the plays of a data set to its song files on title,
// artist name and length, as the warehouse does.
func matchRate(ds *dataSet) (rate float64, plays int) {
	catalog := catalogKeys(ds)
	matched := 0
	for _, e := range ds.Events {
		if e.IsPlay() {
			plays++
			if catalog[playKey(e)] {
				matched++
			}
		}
	}
	return float64(matched) / float64(plays), plays
}

func TestMatchRate(t *testing.T) {
	check := func(t *testing.T, ds *dataSet, want float64) {
		got, n := matchRate(ds)
		// Four standard deviations of a binomial share.
		tol := 4 * math.Sqrt(want*(1-want)/float64(n))
		if math.Abs(got-want) > tol {
			t.Errorf("match rate %.4f over %d plays, want %.4f ± %.4f", got, n, want, tol)
		}
	}
	t.Run("moderate", func(t *testing.T) { check(t, moderate(t), moderateOptions("").MatchRate) })
	for _, rate := range []float64{0, 0.5, 1} {
		o := DefaultOptions("")
		o.MatchRate, o.EventsPerDay = rate, 600
		ds, err := generateAndRead(filepath.Join(t.TempDir(), "data"), o)
		if err != nil {
			t.Fatal(err)
		}
		check(t, ds, rate)
	}
}

// TestSessionsAreOrdered: within a session, itemInSession counts 0, 1, 2,
// ... in time order, and time never goes back.
func TestSessionsAreOrdered(t *testing.T) {
	ds := moderate(t)
	last := map[int64]logEvent{}
	for _, e := range ds.Events { // files are in time order, days in name order
		prev, seen := last[e.SessionID]
		want := int64(0)
		if seen {
			want = prev.ItemInSession + 1
			if e.TS < prev.TS {
				t.Fatalf("session %d: item %d at %d is before item %d at %d", e.SessionID, e.ItemInSession, e.TS, prev.ItemInSession, prev.TS)
			}
		}
		if e.ItemInSession != want {
			t.Fatalf("session %d: item %d follows %d", e.SessionID, e.ItemInSession, prev.ItemInSession)
		}
		last[e.SessionID] = e
	}
	if len(last) < 100 {
		t.Errorf("only %d sessions", len(last))
	}
}

// TestLevelChangesOnlyBySubmit follows each user through time: the level
// changes right after a Submit Upgrade (free to paid) or Submit Downgrade
// (paid to free), and at no other point.
func TestLevelChangesOnlyBySubmit(t *testing.T) {
	ds := moderate(t)
	byUser := map[string][]logEvent{}
	for _, e := range ds.Events {
		if e.UserID != "" {
			byUser[e.UserID] = append(byUser[e.UserID], e)
		}
	}
	flips := map[string]int{}
	for id, evs := range byUser {
		sort.SliceStable(evs, func(i, j int) bool {
			if evs[i].TS != evs[j].TS {
				return evs[i].TS < evs[j].TS
			}
			return evs[i].SessionID == evs[j].SessionID && evs[i].ItemInSession < evs[j].ItemInSession
		})
		for i := 1; i < len(evs); i++ {
			prev, e := evs[i-1], evs[i]
			want := prev.Level
			switch prev.Page {
			case "Submit Upgrade":
				if prev.Level != "free" {
					t.Errorf("user %s: Submit Upgrade at level %s", id, prev.Level)
				}
				want = "paid"
			case "Submit Downgrade":
				if prev.Level != "paid" {
					t.Errorf("user %s: Submit Downgrade at level %s", id, prev.Level)
				}
				want = "free"
			}
			if e.Level != want {
				t.Fatalf("user %s: level %s after %s (%s) at %d, want %s", id, e.Level, prev.Page, prev.Level, e.TS, want)
			}
			if prev.Level != e.Level {
				flips[prev.Page]++
			}
		}
	}
	if flips["Submit Upgrade"] == 0 || flips["Submit Downgrade"] == 0 {
		t.Errorf("flips %v: want users who upgrade and users who downgrade", flips)
	}
}

// samplePages counts the sample's events per page, and the method, status
// and auth seen with each page.
func samplePages(t *testing.T) (map[string]float64, map[string]map[[3]string]bool) {
	_, logs := sampleFiles(t)
	var evs []logEvent
	d := record.NewDecoder()
	for _, raw := range readAll(t, logs...) {
		l := record.NewLines(bytes.NewReader(raw))
		for {
			line, _, err := l.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var e logEvent
			if err := d.DecodeEvent(line, &e.Event); err != nil {
				t.Fatal(err)
			}
			evs = append(evs, e)
		}
	}
	return pageMix(evs)
}

func pageMix(evs []logEvent) (map[string]float64, map[string]map[[3]string]bool) {
	share := map[string]float64{}
	kinds := map[string]map[[3]string]bool{}
	for _, e := range evs {
		share[e.Page] += 1 / float64(len(evs))
		if kinds[e.Page] == nil {
			kinds[e.Page] = map[[3]string]bool{}
		}
		kinds[e.Page][[3]string{e.Method.S, string(rune('0' + e.Status.I/100)), e.Auth.S}] = true
	}
	return share, kinds
}

// TestPageMixLikeSample: the same pages as the sample (and the
// cancellations it lacks), each with the
// sample's method, status class and auth, in roughly the sample's
// proportions.
func TestPageMixLikeSample(t *testing.T) {
	want, wantKinds := samplePages(t)
	got, gotKinds := pageMix(moderate(t).Events)
	for page, w := range want {
		g := got[page]
		switch {
		case g == 0:
			t.Errorf("%s: in the sample (%.2f%%), never generated", page, 100*w)
		case w >= 0.005 && math.Abs(g-w) > max(0.5*w, 0.01):
			t.Errorf("%s: %.2f%% of events, the sample has %.2f%%", page, 100*g, 100*w)
		}
		for k := range gotKinds[page] {
			if !wantKinds[page][k] {
				t.Errorf("%s: generated with method/status/auth %v, never so in the sample", page, k)
			}
		}
	}
	for page := range got {
		if want[page] == 0 && !beyondSample[page] {
			t.Errorf("%s: generated, not a page of the sample", page)
		}
	}
}

// beyondSample are the pages of Sparkify's full logs the sample lacks, which
// the generator makes on purpose (cancellations; TestCancellations checks
// them).
var beyondSample = map[string]bool{"Cancel": true, "Cancellation Confirmation": true}

// TestPopularity: a few songs are played far more than the typical one, and
// some users share a millisecond, as in the real logs.
func TestPopularity(t *testing.T) {
	ds := moderate(t)
	plays := map[key]int{}
	users := map[int64]map[string]bool{}
	for _, e := range ds.Events {
		if e.IsPlay() {
			plays[playKey(e)]++
		}
		if e.UserID != "" {
			if users[e.TS] == nil {
				users[e.TS] = map[string]bool{}
			}
			users[e.TS][e.UserID] = true
		}
	}
	counts := make([]int, 0, len(plays))
	for _, n := range plays {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	if top, median := counts[len(counts)-1], counts[len(counts)/2]; top < 20*median {
		t.Errorf("top song played %d times, the median one %d: want a long tail", top, median)
	}
	shared := 0
	for _, u := range users {
		if len(u) > 1 {
			shared++
		}
	}
	if shared == 0 {
		t.Error("no two users ever act in the same millisecond")
	}
}

// TestSongQuirksLikeSample: like the real song files, many songs have year
// 0, an empty location and no coordinates, and artists have several songs.
func TestSongQuirksLikeSample(t *testing.T) {
	testutil.SampleDir(t)
	ds := moderate(t)
	var year0, noLocation, noCoords int
	artists := map[string]int{}
	for _, s := range ds.Songs {
		if s.Song.Year.I == 0 {
			year0++
		}
		if s.Song.ArtistLocation.S == "" {
			noLocation++
		}
		if !s.Song.ArtistLatitude.Valid {
			noCoords++
		}
		artists[s.Song.ArtistID]++
	}
	n := len(ds.Songs)
	for name, c := range map[string]int{"year 0": year0, "no location": noLocation, "no coordinates": noCoords} {
		if c < n/5 || c > n*4/5 {
			t.Errorf("%s: %d of %d songs", name, c, n)
		}
	}
	if ratio := float64(len(artists)) / float64(n); ratio < 0.3 || ratio > 0.5 {
		t.Errorf("%d artists for %d songs, want about 40%%", len(artists), n)
	}
}

// TestOutputHoldsOnlyTheDataSet: a run writes song_data and log_data and
// nothing else.
func TestOutputHoldsOnlyTheDataSet(t *testing.T) {
	dir, _ := generate(t, DefaultOptions(""))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"log_data", "song_data"}) {
		t.Errorf("output folder holds %v", names)
	}
}
