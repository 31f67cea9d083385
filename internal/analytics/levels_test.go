package analytics_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// levelEvent is what the level history needs of a raw event.
type levelEvent struct {
	TS            int64  `json:"ts"`
	UserID        string `json:"userId"`
	Level         string `json:"level"`
	ItemInSession int64  `json:"itemInSession"`
	SessionID     int64  `json:"sessionId"`
}

// period is one expected user_levels row; To is 0 for the current period.
type period struct {
	Level    string
	From, To int64 // ms
}

// rawPeriods computes every user's level periods straight from the raw
// event files: the user's events in time order (ts, itemInSession,
// sessionId, free before paid), a new period at every change of level.
func rawPeriods(t *testing.T, logDir string) map[string][]period {
	t.Helper()
	byUser := map[string][]levelEvent{}
	for _, f := range warehousetest.LogFiles(t, logDir) {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var e levelEvent
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if e.UserID != "" && e.Level != "" {
				byUser[e.UserID] = append(byUser[e.UserID], e)
			}
		}
		fh.Close()
	}
	out := map[string][]period{}
	for user, evs := range byUser {
		sort.Slice(evs, func(i, j int) bool {
			a, b := evs[i], evs[j]
			switch {
			case a.TS != b.TS:
				return a.TS < b.TS
			case a.ItemInSession != b.ItemInSession:
				return a.ItemInSession < b.ItemInSession
			case a.SessionID != b.SessionID:
				return a.SessionID < b.SessionID
			}
			return a.Level < b.Level
		})
		var ps []period
		for _, e := range evs {
			if len(ps) > 0 && ps[len(ps)-1].Level == e.Level {
				continue
			}
			if len(ps) > 0 {
				ps[len(ps)-1].To = e.TS
			}
			ps = append(ps, period{Level: e.Level, From: e.TS})
		}
		out[user] = ps
	}
	return out
}

// rawConversions counts upgrades and downgrades per UTC day from periods.
func rawConversions(periods map[string][]period, from, to string) []string {
	type count struct{ up, down int }
	days := map[string]*count{}
	for _, ps := range periods {
		for i := 1; i < len(ps); i++ {
			day := time.UnixMilli(ps[i].From).UTC().Format("2006-01-02")
			if (from != "" && day < from) || (to != "" && day > to) {
				continue
			}
			if days[day] == nil {
				days[day] = &count{}
			}
			switch {
			case ps[i-1].Level == "free" && ps[i].Level == "paid":
				days[day].up++
			case ps[i-1].Level == "paid" && ps[i].Level == "free":
				days[day].down++
			}
		}
	}
	var out []string
	for day, c := range days {
		out = append(out, fmt.Sprintf("%s|%d|%d", day, c.up, c.down))
	}
	sort.Strings(out)
	return out
}

func loadSample(t *testing.T) (warehouse.Warehouse, warehousetest.Data) {
	t.Helper()
	wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	data := warehousetest.CopySample(t, 0)
	warehousetest.Load(t, wh, data)
	return wh, data
}

func runQuery(t *testing.T, wh warehouse.Warehouse, name string, args analytics.Args) []string {
	t.Helper()
	q, err := analytics.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analytics.Run(context.Background(), wh.DB(), q, args)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, row := range res.Rows {
		var cells []string
		for _, v := range row {
			cells = append(cells, output.Text(v))
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func TestConversionsMatchRawEvents(t *testing.T) {
	wh, data := loadSample(t)
	periods := rawPeriods(t, data.Logs)
	want := rawConversions(periods, "", "")
	if len(want) == 0 {
		t.Fatal("the sample has no level change: the test proves nothing")
	}
	if got := runQuery(t, wh, "conversions", analytics.Args{}); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("conversions:\n%s\nthe raw events give:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A day range keeps the days inside it, both ends included.
	first, last := strings.Split(want[0], "|")[0], strings.Split(want[len(want)-1], "|")[0]
	want = rawConversions(periods, first, first)
	got := runQuery(t, wh, "conversions", analytics.Args{From: day(first), To: day(first)})
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != 1 {
		t.Errorf("conversions on %s: %v, want %v", first, got, want)
	}
	want = rawConversions(periods, "", last)
	if got := runQuery(t, wh, "conversions", analytics.Args{To: day(last).AddDate(0, 0, -1)}); len(got) != len(want)-1 {
		t.Errorf("conversions before %s: %v, want %v", last, got, want[:len(want)-1])
	}
}

func TestLevelHistoryMatchesRawEvents(t *testing.T) {
	wh, data := loadSample(t)
	periods := rawPeriods(t, data.Logs)
	// The user with the most periods, and one with a single period.
	var busy, calm string
	for user, ps := range periods {
		if busy == "" || len(ps) > len(periods[busy]) || (len(ps) == len(periods[busy]) && user < busy) {
			busy = user
		}
		if len(ps) == 1 && (calm == "" || user < calm) {
			calm = user
		}
	}
	if len(periods[busy]) < 3 {
		t.Fatalf("no user changed level twice in the sample (most: %d)", len(periods[busy]))
	}
	ms := func(v int64) string {
		if v == 0 {
			return ""
		}
		return time.UnixMilli(v).UTC().Format("2006-01-02 15:04:05.000")
	}
	for _, user := range []string{busy, calm} {
		var want []string
		for _, p := range periods[user] {
			want = append(want, fmt.Sprintf("%s|%s|%s|%s", user, p.Level, ms(p.From), ms(p.To)))
		}
		if got := runQuery(t, wh, "level-history", analytics.Args{User: user}); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("level-history %s:\n%s\nthe raw events give:\n%s", user, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if got := runQuery(t, wh, "level-history", analytics.Args{User: "no-such-user"}); len(got) != 0 {
		t.Errorf("an unknown user has periods: %v", got)
	}
}

func TestParseReadsDirectives(t *testing.T) {
	qs, err := analytics.Parse(os.DirFS("sql"))
	if err != nil {
		t.Fatal(err)
	}
	q := qs["conversions"]
	if q == nil || strings.Join(q.Params, " ") != "from to" || q.Description == "" {
		t.Fatalf("conversions parsed as %+v", q)
	}
	if !qs["level-history"].Uses("user") {
		t.Error("level-history does not take the user")
	}
}
