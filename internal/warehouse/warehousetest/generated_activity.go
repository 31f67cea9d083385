package warehousetest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/generate"
)

// testGeneratedActivity loads a generated month (the sample has no
// cancellation and few level changes) and checks sessions, cancelled_at
// and the listening queries against the oracle from its raw files.
func testGeneratedActivity(t *testing.T, open Opener) {
	o := generate.DefaultOptions(filepath.Join(t.TempDir(), "data"))
	o.Songs, o.Users, o.Days, o.EventsPerDay, o.Seed = 50, 150, 30, 600, 3
	sum, err := generate.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Cancellations == 0 {
		t.Fatal("the generated month has no cancellation: pick another seed")
	}
	data := Data{Songs: filepath.Join(o.Dir, "song_data"), Logs: filepath.Join(o.Dir, "log_data")}
	wh := openT(t, open)
	Load(t, wh, data)
	or := NewOracle(t, data.Songs, data.Logs)
	if len(or.Activity.Cancelled) != int(sum.Cancellations) {
		t.Errorf("oracle: %d users cancelled, the generator wrote %d cancellations", len(or.Activity.Cancelled), sum.Cancellations)
	}
	checkSessions(t, wh.DB(), or.Activity)
	checkCancelled(t, wh.DB(), or.Activity)
	for _, q := range []string{"sessions", "retention", "churn", "engagement"} {
		compareQuery(t, wh.DB(), or, q, analytics.Args{})
	}
	// Bounded: the middle of the month, paid sessions only.
	from, to := o.Start.AddDate(0, 0, 10), o.Start.AddDate(0, 0, 19)
	f, l := from.Format(time.DateOnly), to.Format(time.DateOnly)
	args := analytics.Args{From: from, To: to, Level: "paid"}
	for name, want := range map[string][]string{
		"sessions":   or.Activity.SessionsByDay(f, l, "paid"),
		"churn":      or.Activity.Churn(f, l),
		"engagement": or.Activity.Engagement(f, l),
	} {
		if len(want) == 0 {
			t.Errorf("%s from %s to %s: the oracle has no row, the bounds prove nothing", name, f, l)
		}
		if got := runQuery(t, wh.DB(), name, args); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s %s..%s paid returned:\n  %s\nthe raw files give:\n  %s", name, f, l,
				strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}
}
