package warehousetest

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

// The named queries' answers computed from the oracle (that is, from the
// raw files), each row rendered as Canon renders the query's cells, joined
// by "|". Ties are broken as internal/analytics/sql/queries.sql documents:
// by the key each query names, compared byte by byte (DuckDB's and a
// C-collation PostgreSQL's VARCHAR order).

// QueryAnswer computes the rows a named query must return for year, limit
// and user (the parameters the query takes; conversions is computed
// without day bounds). ok is false for a query the oracle does not know.
func (o *Oracle) QueryAnswer(name string, year, limit int, user string) (rows []string, ok bool) {
	switch name {
	case "top-songs":
		return o.TopSongs(year, limit), true
	case "top-artists":
		return o.TopArtists(year, limit), true
	case "top-played":
		return o.TopPlayed(year, limit), true
	case "plays-by-hour":
		return o.PlaysByHour(year), true
	case "plays-by-weekday":
		return o.PlaysByWeekday(year), true
	case "level-split":
		return o.LevelSplit(year), true
	case "top-users":
		return o.TopUsers(year, limit), true
	case "conversions":
		return o.Conversions("", ""), true
	case "level-history":
		return o.LevelHistory(user), true
	case "latest-year":
		return []string{o.LatestYear()}, true
	case "sessions":
		return o.Activity.SessionsByDay("", "", ""), true
	case "retention":
		return o.Activity.Retention(), true
	case "churn":
		return o.Activity.Churn("", ""), true
	case "engagement":
		return o.Activity.Engagement("", ""), true
	}
	return nil, false
}

// playsIn are the plays whose start_time falls in year (UTC).
func (o *Oracle) playsIn(year int) []Play {
	var out []Play
	for _, p := range o.Plays {
		if time.UnixMilli(p.TS).UTC().Year() == year {
			out = append(out, p)
		}
	}
	return out
}

// ranked is one group of a top-N query: its sort keys after the play
// count, and its rendered row.
type ranked struct {
	plays int
	keys  []string
	row   func(plays int) string
}

// top orders groups by plays descending, then by their keys ascending,
// and keeps the first limit.
func top(groups map[string]*ranked, limit int) []string {
	var gs []*ranked
	for _, g := range groups {
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool {
		a, b := gs[i], gs[j]
		if a.plays != b.plays {
			return a.plays > b.plays
		}
		for k := range a.keys {
			if a.keys[k] != b.keys[k] {
				return a.keys[k] < b.keys[k]
			}
		}
		return false
	})
	out := []string{}
	for i, g := range gs {
		if i == limit {
			break
		}
		out = append(out, g.row(g.plays))
	}
	return out
}

// TopSongs is top-songs: plays credited to a catalog song in year, per
// song, as (title, the artists row's name, plays); ties by title, song_id.
func (o *Oracle) TopSongs(year, limit int) []string {
	groups := map[string]*ranked{}
	for _, p := range o.playsIn(year) {
		if p.SongID == "" {
			continue
		}
		g := groups[p.SongID]
		if g == nil {
			s, a := o.Songs[p.SongID], o.Artists[p.ArtistID]
			g = &ranked{keys: []string{s.Title, p.SongID},
				row: func(n int) string { return fmt.Sprintf("%s|%s|%d", s.Title, a.Name, n) }}
			groups[p.SongID] = g
		}
		g.plays++
	}
	return top(groups, limit)
}

// TopArtists is top-artists: plays credited to a catalog artist in year,
// per artist, as (name, plays); ties by name, artist_id.
func (o *Oracle) TopArtists(year, limit int) []string {
	groups := map[string]*ranked{}
	for _, p := range o.playsIn(year) {
		if p.ArtistID == "" {
			continue
		}
		g := groups[p.ArtistID]
		if g == nil {
			a := o.Artists[p.ArtistID]
			g = &ranked{keys: []string{a.Name, p.ArtistID},
				row: func(n int) string { return fmt.Sprintf("%s|%d", a.Name, n) }}
			groups[p.ArtistID] = g
		}
		g.plays++
	}
	return top(groups, limit)
}

// TopPlayed is top-played: every play in year, per the event's own title
// and artist; ties by title, artist.
func (o *Oracle) TopPlayed(year, limit int) []string {
	groups := map[string]*ranked{}
	for _, p := range o.playsIn(year) {
		k := p.Song + "\x00" + p.Artist
		g := groups[k]
		if g == nil {
			title, artist := p.Song, p.Artist
			g = &ranked{keys: []string{title, artist},
				row: func(n int) string { return fmt.Sprintf("%s|%s|%d", title, artist, n) }}
			groups[k] = g
		}
		g.plays++
	}
	return top(groups, limit)
}

// TopUsers is top-users: plays in year per user, with the users row's
// names and level; ties by user_id.
func (o *Oracle) TopUsers(year, limit int) []string {
	groups := map[string]*ranked{}
	for _, p := range o.playsIn(year) {
		g := groups[p.UserID]
		if g == nil {
			id, u := p.UserID, o.Users[p.UserID]
			g = &ranked{keys: []string{id},
				row: func(n int) string {
					return fmt.Sprintf("%s|%s|%s|%s|%d", id, nullIfEmpty(u.First), nullIfEmpty(u.Last), u.Level, n)
				}}
			groups[p.UserID] = g
		}
		g.plays++
	}
	return top(groups, limit)
}

// PlaysByHour is plays-by-hour: plays in year per UTC hour, hours with
// plays only, in order.
func (o *Oracle) PlaysByHour(year int) []string {
	var hours [24]int
	for _, p := range o.playsIn(year) {
		hours[time.UnixMilli(p.TS).UTC().Hour()]++
	}
	out := []string{}
	for h, n := range hours {
		if n > 0 {
			out = append(out, fmt.Sprintf("%d|%d", h, n))
		}
	}
	return out
}

// PlaysByWeekday is plays-by-weekday: plays in year per day of the week
// (0 = Sunday, with its English name), days with plays only, in order.
func (o *Oracle) PlaysByWeekday(year int) []string {
	var days [7]int
	for _, p := range o.playsIn(year) {
		days[time.UnixMilli(p.TS).UTC().Weekday()]++
	}
	out := []string{}
	for d, n := range days {
		if n > 0 {
			out = append(out, fmt.Sprintf("%d|%s|%d", d, time.Weekday(d), n))
		}
	}
	return out
}

// LevelSplit is level-split: plays in year per the play's level, with its
// share in percent rounded half up to one decimal (integer arithmetic);
// most plays first, ties by level.
func (o *Oracle) LevelSplit(year int) []string {
	groups := map[string]*ranked{}
	plays := o.playsIn(year)
	total := len(plays)
	for _, p := range plays {
		g := groups[p.Level]
		if g == nil {
			level := p.Level
			g = &ranked{keys: []string{level}, row: func(n int) string {
				tenths := (2000*n + total) / (2 * total) // round(1000 n / total)
				return fmt.Sprintf("%s|%d|%d.%d", level, n, tenths/10, tenths%10)
			}}
			groups[p.Level] = g
		}
		g.plays++
	}
	return top(groups, len(groups))
}

// Conversions is conversions between the days from and to (YYYY-MM-DD,
// "" for no bound): per UTC day a period starts, the periods that follow
// one of the other level, free to paid (upgrades) and paid to free
// (downgrades); days without any left out, in order.
func (o *Oracle) Conversions(from, to string) []string {
	type c struct{ up, down int }
	days := map[string]*c{}
	for _, ps := range o.Levels {
		for i := 1; i < len(ps); i++ {
			day := time.UnixMilli(ps[i].From).UTC().Format("2006-01-02")
			if (from != "" && day < from) || (to != "" && day > to) {
				continue
			}
			up := ps[i-1].Level == "free" && ps[i].Level == "paid"
			down := ps[i-1].Level == "paid" && ps[i].Level == "free"
			if !up && !down {
				continue
			}
			if days[day] == nil {
				days[day] = &c{}
			}
			if up {
				days[day].up++
			} else {
				days[day].down++
			}
		}
	}
	out := []string{}
	for day, n := range days {
		out = append(out, fmt.Sprintf("%s|%d|%d", day, n.up, n.down))
	}
	sort.Strings(out)
	return out
}

// LevelHistory is level-history: the user's periods, oldest first, the
// current one without an end.
func (o *Oracle) LevelHistory(user string) []string {
	out := []string{}
	for _, p := range o.Levels[user] {
		to := "NULL"
		if p.To != 0 {
			to = Canon(time.UnixMilli(p.To))
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s", user, p.Level, Canon(time.UnixMilli(p.From)), to))
	}
	return out
}

// LatestYear is latest-year: the UTC year of the latest play ("NULL"
// without plays).
func (o *Oracle) LatestYear() string {
	var last int64
	for _, p := range o.Plays {
		if p.TS > last {
			last = p.TS
		}
	}
	if len(o.Plays) == 0 {
		return "NULL"
	}
	return strconv.Itoa(time.UnixMilli(last).UTC().Year())
}

func nullIfEmpty(s string) string {
	if s == "" {
		return "NULL"
	}
	return s
}
