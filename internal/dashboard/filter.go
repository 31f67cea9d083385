package dashboard

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
)

// Top-N bounds: how many songs, artists or locations a ranking shows.
const (
	DefaultTop = 10
	MaxTop     = 50
)

// Levels are the values the level filter accepts ("" is both).
var Levels = []string{"free", "paid"}

// Filter is what a dashboard shows: a range of days, a level and the length
// of the rankings. Its values reach SQL only as bound parameters.
type Filter struct {
	From, To time.Time // first and last day, both included; zero is open
	Level    string    // "free", "paid" or "" for both
	Top      int       // rows of the top-N charts
}

// FilterError is a filter value the dashboard refuses (an HTTP 400).
type FilterError struct{ Param, Problem string }

func (e *FilterError) Error() string { return fmt.Sprintf("filter %s: %s", e.Param, e.Problem) }

// filterParams are the query parameters a dashboard URL may carry.
var filterParams = []string{"from", "to", "level", "top"}

const dayLayout = "2006-01-02"

// ParseFilter reads and validates a filter from URL query parameters:
// from and to (YYYY-MM-DD, from not after to), level (free or paid) and
// top (1 to MaxTop). Unknown or repeated parameters are refused too, so a
// typo is an error rather than a silently unfiltered chart.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{Top: DefaultTop}
	var names []string
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !contains(filterParams, name) {
			return f, &FilterError{quote(name), "unknown parameter: use " + strings.Join(filterParams, ", ")}
		}
		if len(q[name]) > 1 {
			return f, &FilterError{name, "given more than once"}
		}
	}
	var err error
	if f.From, err = parseDay(q, "from"); err != nil {
		return f, err
	}
	if f.To, err = parseDay(q, "to"); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.From.After(f.To) {
		return f, &FilterError{"from", fmt.Sprintf("%s is after to %s", f.From.Format(dayLayout), f.To.Format(dayLayout))}
	}
	if v := q.Get("level"); v != "" {
		if !contains(Levels, v) {
			return f, &FilterError{"level", fmt.Sprintf("%s is not a level: use %s, or leave it out for both", quote(v), strings.Join(Levels, " or "))}
		}
		f.Level = v
	}
	if v := q.Get("top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxTop {
			return f, &FilterError{"top", fmt.Sprintf("%s is not a whole number from 1 to %d", quote(v), MaxTop)}
		}
		f.Top = n
	}
	return f, nil
}

func parseDay(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(dayLayout, v)
	if err != nil {
		return time.Time{}, &FilterError{name, fmt.Sprintf("%s is not a day: use YYYY-MM-DD", quote(v))}
	}
	return d, nil
}

// Values is the filter as URL query parameters (defaults left out).
func (f Filter) Values() url.Values {
	v := url.Values{}
	if !f.From.IsZero() {
		v.Set("from", f.From.Format(dayLayout))
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.Format(dayLayout))
	}
	if f.Level != "" {
		v.Set("level", f.Level)
	}
	if f.Top != DefaultTop && f.Top != 0 {
		v.Set("top", strconv.Itoa(f.Top))
	}
	return v
}

// Day formats a bound for a form field: "" when open.
func (f Filter) Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dayLayout)
}

// Describe says in words what the filter keeps.
func (f Filter) Describe() string {
	days := "all days"
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		days = f.From.Format(dayLayout) + " to " + f.To.Format(dayLayout)
	case !f.From.IsZero():
		days = "from " + f.From.Format(dayLayout)
	case !f.To.IsZero():
		days = "up to " + f.To.Format(dayLayout)
	}
	level := "free and paid plays"
	if f.Level != "" {
		level = f.Level + " plays"
	}
	return days + ", " + level
}

// args are the query arguments of the filter.
func (f Filter) args() analytics.Args {
	top := f.Top
	if top == 0 {
		top = DefaultTop
	}
	return analytics.Args{From: f.From, To: f.To, Level: f.Level, Limit: top}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// quote shows a user's value in an error, cut short and Go-quoted so it is
// plain text whatever it holds.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strconv.Quote(s)
}
