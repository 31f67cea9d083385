package quality_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/quality"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/postgres"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

func TestBuiltinChecksParse(t *testing.T) {
	checks := quality.Builtin()
	if len(checks) < 15 {
		t.Fatalf("only %d built-in checks", len(checks))
	}
	for _, c := range checks {
		if c.Description == "" || c.SQL == "" {
			t.Errorf("check %s lacks a description or query", c.Name)
		}
	}
}

// breakages damage a loaded warehouse in one way each, one per built-in
// check. The named check must fail, and exactly the checks in alsoFail with
// it: those that fail by logic (an empty users table also leaves plays
// without their user); every other check must still pass.
var breakages = []struct {
	check    string
	sql      []string
	alsoFail []string
}{
	{"songplays_not_empty", []string{"DELETE FROM songplays"}, []string{"songplays_match_events"}},
	{"users_not_empty", []string{"DELETE FROM users"}, []string{"songplays_users_exist"}},
	{"songs_not_empty", []string{"DELETE FROM songs"}, []string{"songplays_songs_exist"}}, // the sample's one matched play loses its song
	{"artists_not_empty", []string{"DELETE FROM artists"}, []string{"songplays_artists_exist"}},
	{"time_not_empty", []string{"DELETE FROM time"}, []string{"songplays_times_exist"}},
	// A duplicated play is also one play more than there are events.
	{"songplay_id_unique", []string{"INSERT INTO songplays SELECT * FROM songplays WHERE songplay_id = (SELECT MIN(songplay_id) FROM songplays)"}, []string{"songplays_match_events"}},
	{"user_id_unique", []string{"INSERT INTO users SELECT * FROM users WHERE user_id = (SELECT MIN(user_id) FROM users)"}, nil},
	{"song_id_unique", []string{"INSERT INTO songs SELECT * FROM songs WHERE song_id = (SELECT MIN(song_id) FROM songs)"}, nil},
	{"artist_id_unique", []string{"INSERT INTO artists SELECT * FROM artists WHERE artist_id = (SELECT MIN(artist_id) FROM artists)"}, nil},
	{"start_time_unique", []string{"INSERT INTO time SELECT * FROM time WHERE start_time = (SELECT MIN(start_time) FROM time)"}, nil},
	{"keys_not_null", []string{"ALTER TABLE artists ALTER COLUMN artist_id DROP NOT NULL",
		"INSERT INTO artists (artist_id, name) VALUES (NULL, 'nobody')"}, nil},
	{"songplays_users_exist", []string{"DELETE FROM users WHERE user_id = (SELECT MIN(user_id) FROM songplays)"}, nil},
	{"songplays_times_exist", []string{"DELETE FROM time WHERE start_time = (SELECT MIN(start_time) FROM songplays)"}, nil},
	{"songplays_songs_exist", []string{"DELETE FROM songs WHERE song_id = (SELECT MIN(song_id) FROM songplays)"}, nil},
	{"songplays_artists_exist", []string{"DELETE FROM artists WHERE artist_id = (SELECT MIN(artist_id) FROM songplays)"}, nil},
	{"level_values", []string{"UPDATE users SET level = 'premium' WHERE user_id = (SELECT MIN(user_id) FROM users)"}, nil},
	{"songplays_match_events", []string{"DELETE FROM songplays WHERE songplay_id = (SELECT MAX(songplay_id) FROM songplays)"}, nil},
}

// TestEveryCheckHasABreakage keeps the table above complete.
func TestEveryCheckHasABreakage(t *testing.T) {
	covered := map[string]bool{"catalog_match_rate": true} // a warning, tested by TestMatchRateWarns
	for _, b := range breakages {
		covered[b.check] = true
	}
	for _, c := range quality.Builtin() {
		if !covered[c.Name] {
			t.Errorf("no breakage proves that check %s catches anything", c.Name)
		}
	}
}

func runBreakages(t *testing.T, open func(t *testing.T) warehouse.Warehouse) {
	data := warehousetest.CopySample(t, 0) // the whole sample: its one catalog match is on a later day
	ctx := context.Background()
	wh := open(t)
	defer wh.Close()
	warehousetest.Load(t, wh, data)
	rep, err := quality.Run(ctx, wh.DB(), quality.Builtin(), quality.Settings{MatchRateWarn: 0})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != quality.StatusPass {
		t.Fatalf("a clean load of the sample does not pass: %+v", rep.Results)
	}
	for _, b := range breakages {
		t.Run(b.check, func(t *testing.T) {
			// Each breakage happens in a transaction that is rolled back.
			sess, err := wh.Session(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer sess.Close()
			sess.Begin(ctx)
			defer sess.Rollback(ctx)
			for _, q := range b.sql {
				if _, err := sess.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			rep, err := quality.Run(ctx, sess.Conn(), quality.Builtin(), quality.Settings{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{b.check: true}
			for _, c := range b.alsoFail {
				want[c] = true
			}
			for _, r := range rep.Results {
				failed := r.Status == quality.StatusFail
				switch {
				case want[r.Name] && !failed:
					t.Errorf("%s did not catch the breakage: %s %s", r.Name, r.Status, r.Message)
				case !want[r.Name] && r.Status != quality.StatusPass:
					t.Errorf("%s is %s after breaking only %s: %s", r.Name, r.Status, b.check, r.Message)
				case failed && r.Message == "":
					t.Errorf("%s failed without a message", r.Name)
				}
			}
			if rep.Status != quality.StatusFail {
				t.Errorf("the report is %s, want fail", rep.Status)
			}
		})
	}
}

func TestChecksCatchBreakagesDuckDB(t *testing.T) {
	runBreakages(t, func(t *testing.T) warehouse.Warehouse {
		wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
		if err != nil {
			t.Fatal(err)
		}
		return wh
	})
}

func TestChecksCatchBreakagesPostgres(t *testing.T) {
	runBreakages(t, func(t *testing.T) warehouse.Warehouse {
		wh, err := postgres.Open(context.Background(), testutil.Postgres(t), warehouse.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return wh
	})
}

func TestMatchRateWarns(t *testing.T) {
	data := warehousetest.CopySample(t, 0)
	wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	warehousetest.Load(t, wh, data)
	// The sample credits 1 of its 6820 plays to a catalog song (0.015%).
	rep, _ := quality.Run(context.Background(), wh.DB(), quality.Builtin(), quality.Settings{MatchRateWarn: 0.01})
	if rep.Status != quality.StatusWarn || rep.Warned != 1 || rep.Failed != 0 {
		t.Errorf("report %s warned %d failed %d, want one warning", rep.Status, rep.Warned, rep.Failed)
	}
}

func TestChecksFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "checks.cfg")
	os.WriteFile(good, []byte(`
[no_future_plays]
description = no play after 2100
sql = SELECT COUNT(*)
    FROM songplays WHERE start_time > TIMESTAMP '2100-01-01 00:00:00'
expect = 0

[many_users]
sql = SELECT COUNT(*) FROM users
min = 1000000
severity = warn
`), 0o644)
	checks, err := quality.LoadFile(good)
	if err != nil || len(checks) != 2 || !strings.Contains(checks[0].SQL, "FROM songplays") {
		t.Fatalf("%v %+v", err, checks)
	}
	for body, want := range map[string]string{
		"[x]\nsql = SELECT 1\n":                               "say what the value must be",
		"[x]\nexpect = 1\n":                                   "no sql",
		"[x]\nsql = SELECT 1\nexpect=1\nfoo=2\n":              "unknown setting",
		"[x]\nsql = SELECT 1\nmin = lots\n":                   "not a number",
		"[x]\nsql = SELECT 1\nexpect = 1\nseverity = fatal\n": "severity",
	} {
		p := filepath.Join(dir, "bad.cfg")
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := quality.LoadFile(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", body, err, want)
		}
	}
	data := warehousetest.CopySample(t, 1)
	wh, err := duckdb.Open(context.Background(), "duckdb:"+filepath.Join(dir, "w.duckdb"), warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	warehousetest.Load(t, wh, data)
	rep, _ := quality.Run(context.Background(), wh.DB(), checks, quality.Settings{})
	if rep.Results[0].Status != quality.StatusPass || rep.Results[1].Status != quality.StatusWarn || rep.Status != quality.StatusWarn {
		t.Errorf("results %+v", rep.Results)
	}
}
