package cli

import (
	"encoding/csv"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestListeningQueriesCSV: the listening queries' csv headers are exactly
// the documented column names, and --from, --to and --level bound the
// sessions query as the raw files say.
func TestListeningQueriesCSV(t *testing.T) {
	wh := loadedWarehouse(t)
	headers := map[string]string{
		"sessions":   "day,sessions,plays_per_session,median_minutes",
		"retention":  "cohort_week,users,week_offset,active_users,share",
		"churn":      "day,cancellations,paid,free,downgrades,upgrades",
		"engagement": "day,daily_active_users,weekly_active_users,monthly_active_users",
	}
	for name, want := range headers {
		r := runCLI(t, nil, append([]string{"query", name, "--format", "csv"}, wh...)...)
		recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
		if r.code != 0 || err != nil || len(recs) == 0 {
			t.Fatalf("%s: exit %d, %v, %q %q", name, r.code, err, r.out, r.err)
		}
		if got := strings.Join(recs[0], ","); got != want {
			t.Errorf("%s: header %q, want %q", name, got, want)
		}
	}

	dir := testutil.SampleDir(t)
	o := warehousetest.NewOracle(t, filepath.Join(dir, "song_data"), filepath.Join(dir, "log_data"))
	want := o.Activity.SessionsByDay("2018-11-05", "2018-11-11", "paid")
	if len(want) != 7 {
		t.Fatalf("the sample's paid sessions of Nov 5-11 span %d days, want 7", len(want))
	}
	r := runCLI(t, nil, append([]string{"query", "sessions", "--from", "2018-11-05", "--to", "2018-11-11",
		"--level", "paid", "--format", "csv"}, wh...)...)
	recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if err != nil || len(recs) != len(want)+1 {
		t.Fatalf("bounded sessions: %v %q, want %d rows", err, r.out, len(want))
	}
	for i, row := range recs[1:] {
		w := strings.Split(want[i], "|")
		for j := range w {
			if !sameCell(row[j], w[j]) {
				t.Errorf("bounded sessions row %d: %q, the raw files give %q", i, row, w)
				break
			}
		}
	}
	for _, bad := range [][]string{{"sessions", "--level", "gold"}, {"sessions", "--from", "5 Nov"}, {"retention", "--from", "2018-11-05"}} {
		if r := runCLI(t, nil, append(append([]string{"query"}, bad...), wh...)...); r.code != ExitUsage {
			t.Errorf("%v: exit %d, want a usage error", bad, r.code)
		}
	}
}

// sameCell compares numbers by value (csv prints floats without an
// exponent, the oracle in Go's shortest form) and the rest as text.
func sameCell(got, want string) bool {
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 == nil && err2 == nil {
		return g == w
	}
	return got == want
}
