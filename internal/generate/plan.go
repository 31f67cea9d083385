package generate

import (
	"math"
	"math/rand/v2"
)

// The plan is the first, sequential pass: which user has which sessions on
// which day, how long each is, its level at the start and whether the user
// upgrades or downgrades in it. It is small (a few numbers a session), and
// it fixes everything one day needs from the days before, so the days can
// then be written in parallel.

// planned is one session of the plan.
type planned struct {
	User   int32
	Length int32 // events
	Paid   bool  // level at the start
	Flip   bool  // the user submits an upgrade (free) or downgrade (paid)
	Cancel bool  // the session ends with Cancel and Cancellation Confirmation: the user's last
}

// dayPlan is one day's sessions, in the order each user has them.
type dayPlan struct {
	Sessions []planned
	FirstID  int64 // sessionId of Sessions[0]; the rest follow
}

// Per-event chances that a free user upgrades and a paid user downgrades.
// The sample has 8 upgrades in 1765 free events and 1 downgrade in 6291
// paid ones; downgrades are made a little likelier so small sets show both.
const (
	upgradeRate   = 0.004
	downgradeRate = 0.0008
	// flipMinLength: a flip takes three events (Upgrade, Submit Upgrade, Home).
	flipMinLength = 4
	maxSession    = 250
	// userDayEvents bounds one user's events a day: about what fits in a day
	// of listening.
	userDayEvents = 300
	// cancelRate is the chance a day that a user decides to cancel: about
	// 3% of users a month. The cancellation happens in the user's next
	// session, the last they have.
	cancelRate = 0.001
	// cancelLength: a cancelling session has at least one more event
	// before Cancel and Cancellation Confirmation.
	cancelLength = 3
	// redraws bounds the draws of a user who can still listen today.
	redraws = 64
)

// sessionLength is heavy-tailed like the sample's: half the sessions have
// four events or fewer, the mean is about nine, a few run past a hundred.
func sessionLength(r *rand.Rand) int {
	return min(maxSession, 1+int(logNormal(r, 1.2, 1.3)))
}

func planDays(o Options, users []user) []dayPlan {
	weights := make([]float64, len(users))
	paid := make([]bool, len(users))
	for i, u := range users {
		weights[i], paid[i] = u.weight, u.Paid
	}
	pickUser := newWeighted(weights)
	capacity := max(userDayEvents, 2*int(math.Ceil(float64(o.EventsPerDay)/float64(len(users)))))
	count := make([]int, len(users))
	// leaving: the user decided to cancel; gone: the user has cancelled and
	// sends no more events.
	leaving, gone := make([]bool, len(users)), make([]bool, len(users))
	plans := make([]dayPlan, o.Days)
	nextID := int64(1)
	for d := range plans {
		r := newRand(o.Seed, "plan", d)
		rc := newRand(o.Seed, "cancel", d) // its own stream: the rest of the plan draws as before
		for u := range users {
			if !gone[u] && rc.Float64() < cancelRate {
				leaving[u] = true
			}
		}
		p := dayPlan{FirstID: nextID}
		for budget := o.EventsPerDay; budget > 0; {
			u := pickUser.draw(r)
			for try := 0; count[u] >= capacity && try < 8; try++ {
				u = pickUser.draw(r)
			}
			for try := 0; gone[u] && try < redraws; try++ {
				u = pickUser.draw(r)
			}
			if gone[u] {
				break // (nearly) everyone has cancelled
			}
			n := min(budget, sessionLength(r))
			s := planned{User: int32(u), Length: int32(n), Paid: paid[u]}
			rate := upgradeRate
			if paid[u] {
				rate = downgradeRate
			}
			if leaving[u] && n >= cancelLength {
				s.Cancel, gone[u] = true, true
			} else if n >= flipMinLength && r.Float64() < rate*float64(n) {
				s.Flip = true
				paid[u] = !paid[u]
			}
			p.Sessions = append(p.Sessions, s)
			count[u] += n
			budget -= n
		}
		for _, s := range p.Sessions {
			count[s.User] = 0
		}
		nextID += int64(len(p.Sessions))
		plans[d] = p
	}
	return plans
}
