package dashboard

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// queries are the dashboard's own named queries (sql/dashboard.sql).
var queries = mustParse()

func mustParse() map[string]*analytics.Query {
	sub, _ := fs.Sub(sqlFiles, "sql")
	qs, err := analytics.Parse(sub)
	if err != nil {
		panic(err)
	}
	return qs
}

// Query returns one of the dashboard's named queries, so tests can ask the
// warehouse the same question a chart asks.
func Query(name string) (*analytics.Query, error) {
	if q, ok := queries[name]; ok {
		return q, nil
	}
	return nil, fmt.Errorf("dashboard: no query named %q", name)
}

// Count is one bar or slice of a chart: a label and its plays.
type Count struct {
	Label string `json:"label"`
	Plays int64  `json:"plays"`
}

// Song is one row of a song ranking.
type Song struct {
	Title  string `json:"title"`
	Artist string `json:"artist"`
	Plays  int64  `json:"plays"`
}

// Conversion is one day's level changes.
type Conversion struct {
	Day        string `json:"day"`
	Upgrades   int64  `json:"upgrades"`
	Downgrades int64  `json:"downgrades"`
}

// Summary are the totals of the filtered plays.
type Summary struct {
	Plays    int64  `json:"plays"`
	Users    int64  `json:"users"`
	Sessions int64  `json:"sessions"`
	FirstDay string `json:"first_day"`
	LastDay  string `json:"last_day"`
}

// Data is everything one dashboard shows.
type Data struct {
	Summary          Summary      `json:"summary"`
	PlaysPerDay      []Count      `json:"plays_per_day"`
	PlaysByHour      []Count      `json:"plays_by_hour"`
	PlaysByWeekday   []Count      `json:"plays_by_weekday"`
	TopSongs         []Song       `json:"top_songs"`
	TopArtists       []Count      `json:"top_artists"`
	TopPlayed        []Song       `json:"top_played"`
	TopPlayedArtists []Count      `json:"top_played_artists"`
	Levels           []Count      `json:"levels"`
	Conversions      []Conversion `json:"conversions"`
	Locations        []Count      `json:"top_locations"`
	Browsers         []Count      `json:"browsers"`
	Systems          []Count      `json:"operating_systems"`
	// The listening charts (listening.go).
	Sessions   []SessionDay    `json:"sessions"`
	Retention  []RetentionCell `json:"retention"`
	Churn      []ChurnDay      `json:"churn"`
	Engagement []ActiveDay     `json:"engagement"`
	Runs       []Run           `json:"runs"`
}

// RunsShown is how many loads the dashboard lists.
const RunsShown = 10

// Weekdays names the time table's weekday numbers (0 = Sunday).
var Weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// Collect runs every dashboard query for the filter.
func Collect(ctx context.Context, db warehouse.Querier, f Filter) (*Data, error) {
	c := &collector{ctx: ctx, db: db, args: f.args()}
	d := &Data{}
	if row := first(c.rows("summary")); row != nil {
		d.Summary = Summary{asInt(row[0]), asInt(row[1]), asInt(row[2]), output.Text(row[3]), output.Text(row[4])}
	}
	d.PlaysPerDay = fillDays(counts(c.rows("plays-per-day")), d.Summary.FirstDay, d.Summary.LastDay)
	d.PlaysByHour = make([]Count, 24)
	for h := range d.PlaysByHour {
		d.PlaysByHour[h].Label = strconv.Itoa(h)
	}
	for _, row := range c.rows("plays-by-hour") {
		if h := asInt(row[0]); h >= 0 && h < 24 {
			d.PlaysByHour[h].Plays = asInt(row[1])
		}
	}
	d.PlaysByWeekday = make([]Count, 7)
	for i := range d.PlaysByWeekday {
		d.PlaysByWeekday[i].Label = Weekdays[i]
	}
	for _, row := range c.rows("plays-by-weekday") {
		if w := asInt(row[0]); w >= 0 && w < 7 {
			d.PlaysByWeekday[w].Plays = asInt(row[1])
		}
	}
	d.TopSongs = songs(c.rows("top-songs"))
	d.TopArtists = counts(c.rows("top-artists"))
	d.TopPlayed = songs(c.rows("top-played"))
	d.TopPlayedArtists = counts(c.rows("top-played-artists"))
	d.Levels = counts(c.rows("level-split"))
	d.Locations = counts(c.rows("top-locations"))
	d.Browsers, d.Systems = agents(c.rows("user-agents"))
	if conv, err := analytics.Get("conversions"); err == nil {
		d.Conversions = conversions(c.run(conv, c.args), d.PlaysPerDay)
	} else {
		c.err = err
	}
	c.collectListening(d)
	d.Runs = readRuns(c.run(queries["runs"], analytics.Args{Limit: RunsShown}))
	if c.err != nil {
		return nil, c.err
	}
	return d, nil
}

// collector runs queries until the first error, which it keeps.
type collector struct {
	ctx  context.Context
	db   warehouse.Querier
	args analytics.Args
	err  error
}

func (c *collector) rows(name string) [][]any { return c.run(queries[name], c.args) }

func (c *collector) run(q *analytics.Query, args analytics.Args) [][]any {
	if c.err != nil {
		return nil
	}
	res, err := analytics.Run(c.ctx, c.db, q, args)
	if err != nil {
		c.err = fmt.Errorf("dashboard: %w", err)
		return nil
	}
	return res.Rows
}

func first(rows [][]any) []any {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// Label is how a value from the data is shown on a chart: as text, with
// NULL or empty as "(none)".
func Label(v any) string {
	if s := output.Text(v); s != "" {
		return s
	}
	return "(none)"
}

func counts(rows [][]any) []Count {
	out := []Count{}
	for _, row := range rows {
		out = append(out, Count{Label(row[0]), asInt(row[1])})
	}
	return out
}

func songs(rows [][]any) []Song {
	out := []Song{}
	for _, row := range rows {
		out = append(out, Song{Label(row[0]), Label(row[1]), asInt(row[2])})
	}
	return out
}

// agents sorts the plays of each user agent into browsers and systems,
// most plays first (ties by name).
func agents(rows [][]any) (browsers, systems []Count) {
	b, s := map[string]int64{}, map[string]int64{}
	for _, row := range rows {
		a := ParseAgent(output.Text(row[0]))
		b[a.Browser] += asInt(row[1])
		s[a.OS] += asInt(row[1])
	}
	return ranked(b), ranked(s)
}

func ranked(m map[string]int64) []Count {
	out := []Count{}
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Plays != out[j].Plays {
			return out[i].Plays > out[j].Plays
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// conversions puts the days with level changes on the days of the plays
// chart, so both share an axis and quiet days show as zero.
func conversions(rows [][]any, days []Count) []Conversion {
	byDay := map[string]Conversion{}
	for _, row := range rows {
		c := Conversion{output.Text(row[0]), asInt(row[1]), asInt(row[2])}
		byDay[c.Day] = c
	}
	out := []Conversion{}
	for _, d := range days {
		c, ok := byDay[d.Label]
		if !ok {
			c = Conversion{Day: d.Label}
		}
		delete(byDay, d.Label)
		out = append(out, c)
	}
	for _, c := range byDay { // changes on days without plays
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out
}

// fillDays adds the days between first and last that had no plays, as 0.
func fillDays(days []Count, first, last string) []Count {
	from, err1 := time.Parse(dayLayout, first)
	to, err2 := time.Parse(dayLayout, last)
	if err1 != nil || err2 != nil || to.Sub(from) > 5*366*24*time.Hour {
		return days
	}
	have := map[string]int64{}
	for _, d := range days {
		have[d.Label] = d.Plays
	}
	out := []Count{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		out = append(out, Count{d.Format(dayLayout), have[d.Format(dayLayout)]})
	}
	return out
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case int16:
		return int64(x)
	case uint64:
		return int64(x)
	case float64:
		return int64(x)
	}
	// Anything else (DuckDB's HUGEINT is a *big.Int) by its text.
	n, _ := strconv.ParseInt(output.Text(v), 10, 64)
	return n
}
