package warehousetest

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

// The listening queries' answers (sessions, retention, churn, engagement)
// from the Activity oracle, rendered as Canon renders the cells. Days and
// weeks are UTC; a week starts on Monday.

const dayMS = 86_400_000

// dayNo is the UTC day number of a ts in ms (1970-01-01 is day 0).
func dayNo(ms int64) int64 {
	d := ms / dayMS
	if ms%dayMS < 0 {
		d--
	}
	return d
}

// weekNo is the Monday-based week of a day number (day 0 is a Thursday).
func weekNo(day int64) int64 {
	w := (day + 3) / 7
	if (day+3)%7 < 0 {
		w--
	}
	return w
}

func dayLabel(day int64) string { return time.UnixMilli(day * dayMS).UTC().Format("2006-01-02") }

func canonFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// SessionsByDay is the sessions query: per day a session starts, the
// sessions, plays per session and median length in minutes. from and to
// (YYYY-MM-DD, included) and level ("free", "paid": the level the session
// ended at) keep some sessions; "" keeps all.
func (a *Activity) SessionsByDay(from, to, level string) []string {
	byDay := map[int64][]*SessionRow{}
	for _, s := range a.Sessions {
		d := dayNo(s.Start)
		if (from != "" && dayLabel(d) < from) || (to != "" && dayLabel(d) > to) || (level != "" && s.Level != level) {
			continue
		}
		byDay[d] = append(byDay[d], s)
	}
	var out []string
	for _, d := range sortedKeys(byDay) {
		ss := byDay[d]
		plays := 0
		lengths := make([]int64, len(ss))
		for i, s := range ss {
			plays += s.Plays
			lengths[i] = s.End - s.Start
		}
		sort.Slice(lengths, func(i, j int) bool { return lengths[i] < lengths[j] })
		n := len(lengths)
		mid, k := lengths[n/2], int64(1)
		if n%2 == 0 {
			mid, k = lengths[n/2-1]+lengths[n/2], 2
		}
		out = append(out, fmt.Sprintf("%s|%d|%s|%s", dayLabel(d), n,
			canonFloat(float64(plays)/float64(n)), canonFloat(float64(mid)/float64(60000*k))))
	}
	return out
}

// playDays are the UTC days on which each user played.
func (a *Activity) playDays() map[string]map[int64]bool {
	out := map[string]map[int64]bool{}
	for _, e := range a.events {
		if e.Page != "NextSong" {
			continue
		}
		if out[e.UserID] == nil {
			out[e.UserID] = map[int64]bool{}
		}
		out[e.UserID][dayNo(e.TS)] = true
	}
	return out
}

// Retention is the retention query: per cohort (the week of a user's
// first play) and every later week in which anyone played, the users of
// the cohort who played that week.
func (a *Activity) Retention() []string {
	cohortOf := map[string]int64{}
	activeWeeks := map[string]map[int64]bool{}
	weeks := map[int64]bool{}
	for user, days := range a.playDays() {
		activeWeeks[user] = map[int64]bool{}
		first := true
		for d := range days {
			w := weekNo(d)
			weeks[w] = true
			activeWeeks[user][w] = true
			if first || w < cohortOf[user] {
				cohortOf[user], first = w, false
			}
		}
	}
	cohorts := map[int64][]string{}
	for user, c := range cohortOf {
		cohorts[c] = append(cohorts[c], user)
	}
	allWeeks := sortedKeys(weeks)
	var out []string
	for _, c := range sortedKeys(cohorts) {
		users := cohorts[c]
		for _, w := range allWeeks {
			if w < c {
				continue
			}
			active := 0
			for _, u := range users {
				if activeWeeks[u][w] {
					active++
				}
			}
			out = append(out, fmt.Sprintf("%s|%d|%d|%d|%s", dayLabel(7*c-3), len(users), w-c, active,
				canonFloat(float64(active)/float64(len(users)))))
		}
	}
	return out
}

// Churn is the churn query: per day from from to to (YYYY-MM-DD, ""
// for no bound), the users who cancelled (split by the level of their
// day's last cancellation) and the Submit Downgrade and Submit Upgrade
// events.
func (a *Activity) Churn(from, to string) []string {
	type dayRow struct{ paid, free, down, up int }
	type userDay struct {
		user string
		day  int64
	}
	lastCancel := map[userDay]rawEvent{}
	rows := map[int64]*dayRow{}
	row := func(d int64) *dayRow {
		if rows[d] == nil {
			rows[d] = &dayRow{}
		}
		return rows[d]
	}
	for _, e := range a.events {
		d := dayNo(e.TS)
		switch e.Page {
		case "Cancellation Confirmation":
			k := userDay{e.UserID, d}
			if l, ok := lastCancel[k]; !ok || laterEvent(e, l) {
				lastCancel[k] = e
			}
		case "Submit Downgrade":
			row(d).down++
		case "Submit Upgrade":
			row(d).up++
		}
	}
	cancels := map[int64]int{}
	for k, e := range lastCancel {
		r := row(k.day)
		cancels[k.day]++
		switch e.Level {
		case "paid":
			r.paid++
		case "free":
			r.free++
		}
	}
	var out []string
	for _, d := range sortedKeys(rows) {
		r := rows[d]
		if (from != "" && dayLabel(d) < from) || (to != "" && dayLabel(d) > to) {
			continue
		}
		out = append(out, fmt.Sprintf("%s|%d|%d|%d|%d|%d", dayLabel(d), cancels[d], r.paid, r.free, r.down, r.up))
	}
	return out
}

// Engagement is the engagement query: per day with plays from from to to
// ("" for no bound), the users who played that day, in the 7 and in the
// 30 days up to it (also before from).
func (a *Activity) Engagement(from, to string) []string {
	days := map[int64]bool{}
	pd := a.playDays()
	for _, ds := range pd {
		for d := range ds {
			days[d] = true
		}
	}
	var out []string
	for _, d := range sortedKeys(days) {
		if (from != "" && dayLabel(d) < from) || (to != "" && dayLabel(d) > to) {
			continue
		}
		var daily, weekly, monthly int
		for _, ds := range pd {
			in := func(span int64) bool {
				for x := range ds {
					if x <= d && x > d-span {
						return true
					}
				}
				return false
			}
			if ds[d] {
				daily++
			}
			if in(7) {
				weekly++
			}
			if in(30) {
				monthly++
			}
		}
		out = append(out, fmt.Sprintf("%s|%d|%d|%d", dayLabel(d), daily, weekly, monthly))
	}
	return out
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
