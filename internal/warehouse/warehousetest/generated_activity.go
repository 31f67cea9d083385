package warehousetest

import (
	"context"
	"path/filepath"
	"testing"

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
}
