package generate

import (
	"errors"
	"fmt"
	"time"
)

// Options say what to generate. The zero value of a count means "use the
// default"; DefaultOptions returns them filled in.
type Options struct {
	// Dir is where song_data/ and log_data/ are written. It must be absent
	// or empty unless Force is set (see Run).
	Dir string
	// Force allows a non-empty Dir: song_data/ and log_data/ inside it are
	// removed first, nothing else is touched.
	Force bool

	Songs        int     // song files, one song each
	Artists      int     // distinct artists; 0 means 40% of Songs
	Users        int     // distinct users in the logs
	Days         int     // days of logs, one file per day
	EventsPerDay int     // events per day, about (sessions are whole)
	MatchRate    float64 // share of NextSong plays that are catalog songs, 0..1
	Seed         int64   // same seed and options, same bytes
	Start        time.Time
	// Workers writing files in parallel; 0 means one per CPU.
	Workers int
}

// Defaults: small enough that 'sparkify demo' generates in well under a
// second, and like the public sample (November 2018).
const (
	DefaultSongs        = 200
	DefaultUsers        = 100
	DefaultDays         = 7
	DefaultEventsPerDay = 300
	DefaultMatchRate    = 0.05
	DefaultSeed         = 42
	DefaultStart        = "2018-11-01"
	// maxUserDayEvents bounds events a day per user: a user's sessions of a
	// day must fit in it, at least a second apart.
	maxUserDayEvents = 20000
	// artistShare is artists per song when Artists is 0: the full song data
	// set has about 0.4 artists per song.
	artistShare = 0.4
)

// DefaultOptions returns the default options for dir.
func DefaultOptions(dir string) Options {
	start, _ := time.Parse(time.DateOnly, DefaultStart)
	return Options{
		Dir:          dir,
		Songs:        DefaultSongs,
		Users:        DefaultUsers,
		Days:         DefaultDays,
		EventsPerDay: DefaultEventsPerDay,
		MatchRate:    DefaultMatchRate,
		Seed:         DefaultSeed,
		Start:        start,
	}
}

// ErrInvalidOptions marks options that cannot be generated.
var ErrInvalidOptions = errors.New("invalid generate options")

// normalize fills defaults and checks ranges.
func (o Options) normalize() (Options, error) {
	bad := func(format string, args ...any) (Options, error) {
		return o, fmt.Errorf("%w: %s", ErrInvalidOptions, fmt.Sprintf(format, args...))
	}
	if o.Dir == "" {
		return bad("no output folder")
	}
	if o.Songs < 1 {
		return bad("songs must be at least 1, got %d", o.Songs)
	}
	if o.Artists == 0 {
		o.Artists = max(1, int(float64(o.Songs)*artistShare))
	}
	if o.Artists < 1 || o.Artists > o.Songs {
		return bad("artists must be between 1 and the number of songs (%d), got %d", o.Songs, o.Artists)
	}
	if o.Users < 1 {
		return bad("users must be at least 1, got %d", o.Users)
	}
	if o.Days < 1 || o.Days > 3660 {
		return bad("days must be between 1 and 3660, got %d", o.Days)
	}
	if o.EventsPerDay < 0 {
		return bad("events per day must be 0 or more, got %d", o.EventsPerDay)
	}
	if o.EventsPerDay > o.Users*maxUserDayEvents {
		return bad("%d events a day is more than %d users can make (at most %d each)", o.EventsPerDay, o.Users, maxUserDayEvents)
	}
	if !(o.MatchRate >= 0 && o.MatchRate <= 1) {
		return bad("match rate must be between 0 and 1, got %v", o.MatchRate)
	}
	if o.Start.IsZero() {
		o.Start, _ = time.Parse(time.DateOnly, DefaultStart)
	}
	y, m, d := o.Start.UTC().Date()
	o.Start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if o.Start.Year() < 1971 || o.Start.AddDate(0, 0, o.Days).Year() >= 2100 {
		return bad("dates must fall between 1971 and 2099")
	}
	if o.Workers < 0 {
		return bad("workers must be 0 or more")
	}
	return o, nil
}
