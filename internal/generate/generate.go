// Package generate writes synthetic Sparkify data sets: song files and
// daily event logs in exactly the layout and formats of the public sample
// (song_data/A/B/C/TR....json, log_data/YYYY/MM/YYYY-MM-DD-events.json),
// of any size, the same bytes for the same seed.
//
// A run has two passes. The first, sequential and small, makes the
// catalog, the users and the plan of sessions (who listens when, and who
// upgrades, downgrades or cancels where). The second writes the song files and the
// days in parallel, each day from its own generator seeded from the main
// seed, streaming through buffered writers: memory grows with the catalog
// and one day per worker, not with the data set.
package generate

import (
	"context"
	"runtime"
	"time"
)

// Summary is what a run wrote.
type Summary struct {
	Dir        string `json:"dir"`
	Seed       int64  `json:"seed"`
	Start      string `json:"start"` // first day, YYYY-MM-DD
	End        string `json:"end"`   // last day
	SongFiles  int    `json:"song_files"`
	Artists    int    `json:"artists"`
	Users      int    `json:"users"`
	LogFiles   int    `json:"log_files"`
	Events     int64  `json:"events"`
	Sessions   int64  `json:"sessions"`
	Plays      int64  `json:"plays"`         // NextSong events with a user
	Matched    int64  `json:"matched_plays"` // plays of a song in the song files
	Upgrades   int64  `json:"upgrades"`
	Downgrades int64  `json:"downgrades"`
	// Cancellations are Cancellation Confirmation events: users who left
	// (and send no events after).
	Cancellations int64 `json:"cancellations"`
	LoggedOut     int64 `json:"logged_out_events"`
	Bytes         int64 `json:"bytes"`
	ElapsedMS     int64 `json:"elapsed_ms"`
}

// MatchRate is the share of plays that are catalog songs.
func (s *Summary) MatchRate() float64 {
	if s.Plays == 0 {
		return 0
	}
	return float64(s.Matched) / float64(s.Plays)
}

// generator is one run's shared, read-only state.
type generator struct {
	opts  Options
	cat   *catalog
	users []user
	plans []dayPlan
	pages *pageChooser
}

// Run writes a data set into opts.Dir and reports what it wrote. Dir must
// not exist or be empty; with opts.Force, the song_data/ and log_data/ in
// it are deleted first and anything else in it is left alone. On error the
// folder may hold a partial data set.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	began := time.Now()
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	if err := prepareDir(o.Dir, o.Force); err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g := &generator{opts: o, cat: newCatalog(o), users: makeUsers(o), pages: newPageChooser()}
	g.plans = planDays(o, g.users)

	sum := &Summary{Dir: o.Dir, Seed: o.Seed, Start: o.Start.Format(time.DateOnly),
		End: o.Start.AddDate(0, 0, o.Days-1).Format(time.DateOnly), SongFiles: len(g.cat.Songs),
		Artists: o.Artists, Users: o.Users, LogFiles: o.Days}
	if sum.Bytes, err = writeSongs(ctx, o.Dir, g.cat.Songs, workers); err != nil {
		return nil, err
	}
	days := make([]dayStats, o.Days)
	err = forEach(ctx, o.Days, workers, func(d int) error {
		st, err := g.writeDay(ctx, d)
		days[d] = st
		return err
	})
	if err != nil {
		return nil, err
	}
	var all dayStats
	for _, st := range days {
		all.add(st)
	}
	sum.Events, sum.Sessions, sum.Plays, sum.Matched = all.Events, all.Sessions, all.Plays, all.Matched
	sum.Upgrades, sum.Downgrades, sum.LoggedOut = all.Upgrades, all.Downgrades, all.LoggedOut
	sum.Cancellations = all.Cancellations
	sum.Bytes += all.Bytes
	sum.ElapsedMS = time.Since(began).Milliseconds()
	return sum, nil
}
