package generate

import (
	"math"
	"path/filepath"
	"testing"
)

// TestCancellations: users cancel at a plausible monthly rate, each in a
// session that ends Cancel then Cancellation Confirmation (auth
// "Cancelled"), and send no event after it.
func TestCancellations(t *testing.T) {
	o := DefaultOptions("")
	o.Users, o.Days, o.EventsPerDay, o.Seed = 400, 60, 2500, 11
	ds, err := generateAndRead(filepath.Join(t.TempDir(), "data"), o)
	if err != nil {
		t.Fatal(err)
	}
	checkSummary(t, ds)
	cancelled := map[string]int64{} // user -> ts of the confirmation
	type sessionKey struct {
		user string
		id   int64
	}
	last := map[sessionKey]logEvent{} // the session's previous event (files are in time order)
	for _, e := range ds.Events {
		k := sessionKey{e.UserID, e.SessionID}
		prev, seen := last[k]
		last[k] = e
		if e.Page == "Cancellation Confirmation" {
			if e.UserID == "" || e.Auth.S != "Cancelled" {
				t.Errorf("%s:%d: confirmation of user %q with auth %q", e.File, e.Line, e.UserID, e.Auth.S)
			}
			if !seen || prev.Page != "Cancel" || prev.ItemInSession != e.ItemInSession-1 {
				t.Errorf("%s:%d: confirmation not right after the user's Cancel in the session", e.File, e.Line)
			}
			if _, twice := cancelled[e.UserID]; twice {
				t.Errorf("user %s cancels twice", e.UserID)
			}
			cancelled[e.UserID] = e.TS
		}
	}
	for _, e := range ds.Events {
		if at, ok := cancelled[e.UserID]; ok && e.TS > at {
			t.Errorf("%s:%d: user %s sends %s after cancelling", e.File, e.Line, e.UserID, e.Page)
		}
	}
	// A user decides to leave with chance cancelRate a day and leaves in
	// their next session; this set's users all listen within a few days,
	// so nearly every decision is carried out. Expected users who decide
	// within the days, with four binomial standard deviations either side.
	p := 1 - math.Pow(1-cancelRate, float64(o.Days))
	want := p * float64(o.Users)
	tol := 4 * math.Sqrt(want*(1-p))
	if n := float64(len(cancelled)); n < want-tol-2 || n > want+tol {
		t.Errorf("%v users cancelled in %d days, want %.1f ± %.1f", n, o.Days, want, tol)
	}
	perMonth := float64(len(cancelled)) / float64(o.Users) * 30 / float64(o.Days)
	t.Logf("%d of %d users cancelled in %d days: %.1f%% a month", len(cancelled), o.Users, o.Days, 100*perMonth)
}
