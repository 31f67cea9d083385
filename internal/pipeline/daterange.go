package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"time"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/source"
)

// DateRange selects the days of event logs a load reads: a backfill. Both
// ends are whole UTC days and included.
type DateRange struct {
	From, To time.Time
}

// ParseDateRange reads --from and --to (YYYY-MM-DD, either may be empty).
func ParseDateRange(from, to string) (*DateRange, error) {
	if from == "" && to == "" {
		return nil, nil
	}
	r := &DateRange{}
	var err error
	if from != "" {
		if r.From, err = time.Parse(time.DateOnly, from); err != nil {
			return nil, fmt.Errorf("--from %q: want a date like 2018-11-05", from)
		}
	}
	if to != "" {
		if r.To, err = time.Parse(time.DateOnly, to); err != nil {
			return nil, fmt.Errorf("--to %q: want a date like 2018-11-12", to)
		}
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return nil, fmt.Errorf("--to %s is before --from %s", to, from)
	}
	return r, nil
}

// Contains reports whether a day is in the range.
func (r *DateRange) Contains(day time.Time) bool {
	d := day.UTC().Truncate(24 * time.Hour)
	return (r.From.IsZero() || !d.Before(r.From)) && (r.To.IsZero() || !d.After(r.To))
}

// String shows the range for summaries.
func (r *DateRange) String() string {
	f := func(t time.Time) string {
		if t.IsZero() {
			return "..."
		}
		return t.Format(time.DateOnly)
	}
	return f(r.From) + " to " + f(r.To)
}

var dateInName = regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})`)

// dayInName is the date in a file's name (2018-11-05-events.json), if it
// has one.
func dayInName(name string) (time.Time, bool) {
	m := dateInName.FindString(path.Base(name))
	if m == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, m)
	return d, err == nil
}

// fileDay is the day a log file holds: the date in its name
// (2018-11-05-events.json) or, for a name without one, the day of its
// first event.
func fileDay(ctx context.Context, src source.Source, obj source.Object) (time.Time, error) {
	if d, ok := dayInName(obj.Key); ok {
		return d, nil
	}
	rc, err := src.Open(ctx, obj)
	if err != nil {
		return time.Time{}, fmt.Errorf("open %s: %w", obj.URI, err)
	}
	defer rc.Close()
	r, err := record.Decompress(rc, obj.Key)
	if err != nil {
		return time.Time{}, errNoDay
	}
	lines := record.NewLines(r)
	dec := record.NewDecoder()
	for {
		line, _, err := lines.Next()
		if errors.Is(err, io.EOF) || err != nil {
			return time.Time{}, errNoDay
		}
		var ev record.Event
		if !record.IsBlank(line) && dec.DecodeEvent(line, &ev) == nil {
			return ev.StartTime().Truncate(24 * time.Hour), nil
		}
	}
}

var errNoDay = errors.New("no date in the name and no readable event")
