package reliability

import (
	"testing"
	"time"
)

// TestWatchStoppedMidLoad runs the built binary's watch on a warehouse
// holding an earlier load, holds its load of the new days after staging
// (SPARKIFY_TEST_PAUSE), and sends SIGTERM, as a service manager would:
// watch must exit cleanly, the warehouse must be exactly as before the
// load, and a later etl must complete it to the star of one whole load.
func TestWatchStoppedMidLoad(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			ref := reference(t, e, ds)
			h := loadHalf(t, e.dsn(t), ds)
			p := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE=staged"), nil,
				"watch", "--songs", ds.songs, "--logs", h.logs, "--warehouse", h.dsn, "--interval", "200ms")
			p.waitFor("paused at staged", 3*time.Minute)
			if code := p.terminate(time.Minute); code != 0 {
				t.Errorf("watch stopped by SIGTERM mid-load: exit %d, want 0\n%s", code, p.stderr())
			}
			sameStar(t, "after SIGTERM mid-load", dumpDSN(t, h.dsn), h.base)
			mustRun(t, childEnv(t), etlArgs(ds, h.logs, h.dsn)...)
			sameStar(t, "after the next etl", dumpDSN(t, h.dsn), ref.star)
			checkNotDoubled(t, h.dsn, ds, 2)
		})
	}
}
