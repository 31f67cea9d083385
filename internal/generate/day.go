package generate

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/sparkify/sparkify/internal/record"
)

// dayStats counts what one day's log holds.
type dayStats struct {
	Events, Sessions, Plays, Matched, Upgrades, Downgrades, Cancellations, LoggedOut, Bytes int64
}

func (s *dayStats) add(o dayStats) {
	s.Events += o.Events
	s.Sessions += o.Sessions
	s.Plays += o.Plays
	s.Matched += o.Matched
	s.Upgrades += o.Upgrades
	s.Downgrades += o.Downgrades
	s.Cancellations += o.Cancellations
	s.LoggedOut += o.LoggedOut
	s.Bytes += o.Bytes
}

const secondsPerDay = 86400

// logPath is where day d's log goes: log_data/2018/11/2018-11-05-events.json.
func logPath(dir string, day time.Time) string {
	return filepath.Join(dir, "log_data", day.Format("2006"), day.Format("01"), day.Format("2006-01-02")+"-events.json")
}

// buildDay makes day d's events, sorted by time as in the real logs.
func (g *generator) buildDay(d int) []ev {
	plan := &g.plans[d]
	b := sessionBuilder{r: newRand(g.opts.Seed, "day", d), cat: g.cat, pages: g.pages, matchRate: g.opts.MatchRate}
	var events []ev
	bounds := make([]int, len(plan.Sessions)+1) // session i is events[bounds[i]:bounds[i+1]]
	for i, s := range plan.Sessions {
		events = b.build(events, int32(i), s)
		bounds[i+1] = len(events)
	}
	// Lay each user's sessions out in the day, in plan order, apart.
	order := make([]int, len(plan.Sessions))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(plan.Sessions[a].User, plan.Sessions[b].User) })
	dayMS := g.opts.Start.AddDate(0, 0, d).UnixMilli()
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && plan.Sessions[order[hi]].User == plan.Sessions[order[lo]].User {
			hi++
		}
		g.layOut(b.r, events, bounds, order[lo:hi], dayMS)
		lo = hi
	}
	slices.SortFunc(events, func(a, b ev) int {
		if c := cmp.Compare(a.TS, b.TS); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Session, b.Session); c != 0 {
			return c
		}
		return cmp.Compare(a.Item, b.Item)
	})
	return events
}

// layOut places one user's sessions in the day: in order, at least a second
// apart, with random idle time between them. A user with more listening
// than fits in a day has the gaps of every session shrunk to fit.
func (g *generator) layOut(r *rand.Rand, events []ev, bounds []int, sessions []int, dayMS int64) {
	k := int64(len(sessions))
	var total int64
	for _, s := range sessions {
		total += events[bounds[s+1]-1].TS
	}
	room := int64(secondsPerDay-1) - (k - 1)
	num, den := int64(1), int64(1)
	if total > room {
		num, den = max(0, room), total
		total = 0
		for _, s := range sessions {
			total += events[bounds[s+1]-1].TS * num / den
		}
	}
	free := max(0, room-total)
	idle := make([]float64, k+1)
	sum := 0.0
	for i := range idle {
		idle[i] = r.ExpFloat64()
		sum += idle[i]
	}
	at := int64(0)
	for i, s := range sessions {
		at += int64(float64(free) * idle[i] / sum)
		start := at
		for j := bounds[s]; j < bounds[s+1]; j++ {
			off := events[j].TS * num / den
			events[j].TS = dayMS + (start+off)*1000 + msOffset
			at = start + off
		}
		at++
	}
}

// writeDay writes day d's log file.
func (g *generator) writeDay(ctx context.Context, d int) (dayStats, error) {
	events := g.buildDay(d)
	path := logPath(g.opts.Dir, g.opts.Start.AddDate(0, 0, d))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return dayStats{}, err
	}
	f, err := os.Create(path)
	if err != nil {
		return dayStats{}, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	st := dayStats{Sessions: int64(len(g.plans[d].Sessions))}
	firstID := g.plans[d].FirstID
	var line []byte
	var rec record.Event
	for i := range events {
		if i%4096 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		e := &events[i]
		g.fillEvent(&rec, e, firstID)
		line = line[:0]
		if i > 0 {
			line = append(line, '\n') // no newline after the last line, as in the sample
		}
		line = appendEventJSON(line, &rec)
		if _, err := w.Write(line); err != nil {
			return st, fmt.Errorf("write %s: %w", path, err)
		}
		st.Bytes += int64(len(line))
		st.count(e)
	}
	if err := w.Flush(); err != nil {
		return st, fmt.Errorf("write %s: %w", path, err)
	}
	return st, f.Close()
}

func (st *dayStats) count(e *ev) {
	st.Events++
	switch {
	case e.User < 0:
		st.LoggedOut++
	case e.Page == pageNextSong:
		st.Plays++
		if e.Tune > 0 {
			st.Matched++
		}
	case e.Page == pageSubmitUpgrade:
		st.Upgrades++
	case e.Page == pageSubmitDowngrade:
		st.Downgrades++
	case e.Page == pageCancelConfirm:
		st.Cancellations++
	}
}

// fillEvent sets rec to the record event e stands for.
func (g *generator) fillEvent(rec *record.Event, e *ev, firstID int64) {
	info := &pageInfo[e.Page]
	*rec = record.Event{
		Auth:          record.NullString{S: "Logged Out", Valid: true},
		ItemInSession: int64(e.Item),
		Level:         "free",
		Method:        record.NullString{S: info.Method, Valid: true},
		Page:          info.Name,
		SessionID:     firstID + int64(e.Session),
		Status:        record.NullInt{I: info.Status, Valid: true},
		TS:            e.TS,
	}
	if e.Paid {
		rec.Level = "paid"
	}
	if e.User >= 0 {
		u := &g.users[e.User]
		rec.Auth.S = "Logged In"
		if e.Page == pageCancelConfirm {
			rec.Auth.S = "Cancelled" // as Sparkify's full logs have it
		}
		rec.FirstName = record.NullString{S: u.First, Valid: true}
		rec.Gender = record.NullString{S: u.Gender, Valid: true}
		rec.LastName = record.NullString{S: u.Last, Valid: true}
		rec.Location = record.NullString{S: u.Location, Valid: true}
		rec.Registration = record.NullFloat{F: u.Registration, Valid: true}
		rec.UserAgent = record.NullString{S: u.Agent, Valid: true}
		rec.UserID = u.ID
	}
	if e.Tune != 0 {
		t := g.cat.tuneOf(e.Tune)
		rec.Artist = record.NullString{S: t.Artist, Valid: true}
		rec.Song = record.NullString{S: t.Title, Valid: true}
		rec.Length = record.NullFloat{F: t.Length, Valid: true}
	}
}
