package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/generate"
	"github.com/sparkify/sparkify/internal/iostreams"
)

func TestGenerateFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		check   func(t *testing.T, g generate.Options, o *GenerateOptions)
		wantErr string
	}{
		{name: "all flags", args: []string{"--out", "d", "--songs", "10", "--artists", "4", "--users", "3", "--days", "2",
			"--events-per-day", "50", "--match-rate", "0.5", "--seed", "9", "--start", "2019-02-03", "--force", "--json"},
			check: func(t *testing.T, g generate.Options, o *GenerateOptions) {
				if g.Dir != "d" || g.Songs != 10 || g.Artists != 4 || g.Users != 3 || g.Days != 2 || g.EventsPerDay != 50 ||
					g.MatchRate != 0.5 || g.Seed != 9 || g.Start.Format("2006-01-02") != "2019-02-03" || !g.Force || !o.JSON {
					t.Errorf("options = %+v (json %v)", g, o.JSON)
				}
			}},
		{name: "defaults", args: []string{"--out", "d"},
			check: func(t *testing.T, g generate.Options, o *GenerateOptions) {
				want := generate.DefaultOptions("d")
				if g != want {
					t.Errorf("options = %+v, want the package defaults %+v", g, want)
				}
			}},
		{name: "no out", args: []string{}, wantErr: "--out is required"},
		{name: "bad start", args: []string{"--out", "d", "--start", "11/01/2018"}, wantErr: "--start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			f := NewFactory(io, func(string) string { return "" })
			var got *GenerateOptions
			cmd := newGenerateCmdRun(f, func(o *GenerateOptions) error { got = o; return nil })
			cmd.SetArgs(c.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			g, err := got.generateOptions()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || ExitCode(err) != ExitUsage {
					t.Errorf("err = %v (exit %d), want a usage error about %s", err, ExitCode(err), c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, g, got)
		})
	}
}

func TestGenerateWritesDataSet(t *testing.T) {
	out := filepath.Join(t.TempDir(), "data")
	r := runCLI(t, nil, "generate", "--out", out, "--days", "2", "--events-per-day", "100", "--json")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var sum generate.Summary
	if err := json.Unmarshal([]byte(r.out), &sum); err != nil {
		t.Fatalf("--json output: %v\n%s", err, r.out)
	}
	logs, _ := filepath.Glob(filepath.Join(out, "log_data", "2018", "11", "*-events.json"))
	songs, _ := filepath.Glob(filepath.Join(out, "song_data", "*", "*", "*", "TR*.json"))
	if sum.LogFiles != 2 || len(logs) != 2 || sum.SongFiles != len(songs) || len(songs) == 0 || sum.Dir != out {
		t.Errorf("summary %+v; %d logs and %d song files on disk", sum, len(logs), len(songs))
	}

	// A second run into the same folder is refused, and says how to proceed.
	r = runCLI(t, nil, "generate", "--out", out)
	if r.code != ExitFailure || !strings.Contains(r.err, "--force") {
		t.Errorf("second run: exit %d, stderr %q", r.code, r.err)
	}
	// With --force it replaces the data set: one day, not two.
	r = runCLI(t, nil, "generate", "--out", out, "--days", "1", "--force")
	if r.code != ExitOK || !strings.Contains(r.out, "Load it with: sparkify etl") {
		t.Fatalf("--force: exit %d\n%s%s", r.code, r.out, r.err)
	}
	logs, _ = filepath.Glob(filepath.Join(out, "log_data", "*", "*", "*.json"))
	if len(logs) != 1 {
		t.Errorf("after --force with --days 1: %d log files", len(logs))
	}
}

func TestGenerateRejectsBadValues(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--match-rate", "1.5"},
		{"--songs", "0"},
		{"--days", "-1"},
		{"--start", "tomorrow"},
		{"--bogus"},
	} {
		out := filepath.Join(dir, strings.Join(args, ""))
		r := runCLI(t, nil, append([]string{"generate", "--out", out}, args...)...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, ExitUsage, r.err)
		}
		if _, err := os.Stat(filepath.Join(out, "song_data")); err == nil {
			t.Errorf("%v: wrote data despite the error", args)
		}
	}
}
