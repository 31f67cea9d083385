package generate

import (
	"math"
	"strconv"
	"time"
)

// user is one listener. Level is the level the user starts with.
type user struct {
	ID                  string
	First, Last, Gender string
	Location, Agent     string
	Registration        float64 // ms since the epoch, a float as in the logs
	Paid                bool
	weight              float64 // share of the day's sessions
}

// msOffset is the millisecond every timestamp of the real logs ends in
// (1541105830796): the sample's clock was shifted by a fixed amount.
const msOffset = 796

// makeUsers invents n users registered up to a year before start, a third
// of them paying, with activity skewed so a few users listen far more than
// most (as in the sample, where one user of 98 makes a tenth of the events).
func makeUsers(o Options) []user {
	r := newRand(o.Seed, "users", 0)
	users := make([]user, o.Users)
	rank := r.Perm(o.Users)
	for i := range users {
		u := user{ID: strconv.Itoa(i + 1), Last: pick(r, lastNames), Location: pick(r, userLocations),
			Agent: quoteAgent(pick(r, userAgents)), Paid: r.IntN(3) == 0}
		if r.IntN(3) == 0 {
			u.Gender, u.First = "M", pick(r, firstNamesM)
		} else {
			u.Gender, u.First = "F", pick(r, firstNamesF)
		}
		regSec := o.Start.Add(-time.Duration(1+r.IntN(365*86400)) * time.Second).Unix()
		u.Registration = float64(regSec*1000 + msOffset)
		u.weight = 1 / math.Pow(float64(1+rank[i]), 0.8)
		users[i] = u
	}
	return users
}
