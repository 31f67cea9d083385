package generate

import (
	"math"
	"math/rand/v2"
)

// ev is one event while a day is built: compact, with references instead of
// strings, so a day of events is a few megabytes.
type ev struct {
	TS      int64 // seconds from the session start, then epoch ms once laid out
	Session int32 // index into the day's sessions
	Item    int32
	User    int32 // index into users, -1 when logged out
	Tune    int32 // catalog reference (see catalog.play), 0 when no song
	Page    page
	Paid    bool
}

// sessionBuilder turns a planned session into events with times relative
// to the session start.
type sessionBuilder struct {
	r         *rand.Rand
	cat       *catalog
	pages     *pageChooser
	matchRate float64

	out      []ev
	session  int32
	user     int32
	paid     bool
	loggedIn bool
	offset   int64 // seconds since the session start
	item     int32
	last     ev // the previous event of the session, when item > 0
}

// Chance that a session starts logged out (on Home, then Login).
const loggedOutStart = 0.1

// build appends the events of session s (index si of its day) to out.
func (b *sessionBuilder) build(out []ev, si int32, s planned) []ev {
	b.out, b.session, b.user, b.paid = out, si, s.User, s.Paid
	b.offset, b.item = 0, 0
	n := int(s.Length)
	flipAt := -1
	if s.Flip {
		flipAt = 1 + b.r.IntN(n-3)
	}
	b.loggedIn = s.Flip || s.Cancel || b.r.Float64() >= loggedOutStart
	cancelAt := -1
	if s.Cancel {
		cancelAt = n - 2
	}
	saveNext := false
	for item := 0; item < n; item++ {
		switch {
		case item == cancelAt:
			b.emit(pageCancel)
			b.emit(pageCancelConfirm)
			item++
		case item == flipAt:
			b.flip()
			item += 2
		case !b.loggedIn:
			p := loggedOutPage(b.r)
			b.emit(p)
			if p == pageLogin {
				b.loggedIn = true
			}
		case saveNext:
			b.emit(pageSaveSettings)
			saveNext = false
		default:
			p := b.pages.next(b.r, b.paid)
			if p == pageLogout && (flipAt > item || cancelAt > item) {
				p = pageHome // stay logged in until the planned flip or cancellation
			}
			b.emit(p)
			switch p {
			case pageLogout:
				b.loggedIn = false
			case pageSettings:
				saveNext = b.r.IntN(5) == 0
			}
		}
	}
	return b.out
}

// flip is the planned change of level: the offer page, the submit, then
// Home at the new level, as in the sample.
func (b *sessionBuilder) flip() {
	if b.paid {
		b.emit(pageDowngrade)
		b.emit(pageSubmitDowngrade)
	} else {
		b.emit(pageUpgrade)
		b.emit(pageSubmitUpgrade)
	}
	b.paid = !b.paid
	b.emit(pageHome)
}

// emit appends one event at the time the previous one leads to: a song
// that plays to its end, or is skipped, or a click a few seconds later.
func (b *sessionBuilder) emit(p page) {
	if b.item > 0 {
		b.offset += b.gap(p)
	}
	e := ev{TS: b.offset, Session: b.session, Item: b.item, User: b.user, Page: p, Paid: b.paid}
	if !b.loggedIn {
		e.User = -1
	}
	if p == pageNextSong {
		e.Tune = b.cat.play(b.r, b.matchRate)
	}
	b.out = append(b.out, e)
	b.last = e
	b.item++
}

// gap is the seconds between the last event and the next one, page p.
func (b *sessionBuilder) gap(p page) int64 {
	if b.last.Page == pageNextSong {
		length := b.cat.tuneOf(b.last.Tune).Length
		if p == pageNextSong && b.r.IntN(6) != 0 {
			return int64(math.Round(length)) // played to the end
		}
		return int64(b.r.Float64() * length) // skipped, or left for a page
	}
	return int64(b.r.ExpFloat64() * 20)
}
