package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// dataset is the generated data: 30 days to load cold, and one more day
// kept aside for the incremental run.
type dataset struct {
	songs, logs string
	extraDay    string // the 31st day's file, outside logs
	extraDst    string // where it goes to be loaded
	events      int64  // events in the 30 days
	extraEvents int64
	bytes       int64
}

type genSummary struct {
	Events   int64 `json:"events"`
	Bytes    int64 `json:"bytes"`
	LogFiles int   `json:"log_files"`
}

// prepare generates the data set once (31 days) and moves the last day
// aside; a second run reuses it.
func prepare(o *options) (*dataset, error) {
	gen := filepath.Join(o.data, "gen")
	d := &dataset{songs: filepath.Join(gen, "song_data"), logs: filepath.Join(gen, "log_data")}
	meta := filepath.Join(o.data, "summary.json")
	if _, err := os.Stat(meta); err != nil {
		fmt.Printf("generating the data set (scale %g) in %s ...\n", o.scale, o.data)
		os.RemoveAll(o.data)
		if err := os.MkdirAll(o.data, 0o755); err != nil {
			return nil, err
		}
		s := func(n float64) string { return fmt.Sprint(max(1, int(n*o.scale))) }
		out, err := exec.Command(o.bin, "generate", "--out", gen, "--json", "--seed", "2018",
			"--songs", s(100000), "--artists", s(40000), "--users", s(10000),
			"--days", "31", "--events-per-day", s(5000000.0/30), "--match-rate", "0.05").Output()
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		if err := os.WriteFile(meta, out, 0o644); err != nil {
			return nil, err
		}
		days, _ := filepath.Glob(filepath.Join(d.logs, "*", "*", "*.json"))
		sort.Strings(days)
		last := days[len(days)-1]
		if err := os.Rename(last, filepath.Join(o.data, filepath.Base(last))); err != nil {
			return nil, err
		}
	}
	days, _ := filepath.Glob(filepath.Join(o.data, "*-events.json"))
	if len(days) != 1 {
		return nil, fmt.Errorf("%s: the held-out day is missing; delete the folder to regenerate", o.data)
	}
	d.extraDay = days[0]
	d.extraDst = filepath.Join(d.logs, "extra", filepath.Base(days[0]))
	var sum genSummary
	raw, _ := os.ReadFile(meta)
	if err := json.Unmarshal(raw, &sum); err != nil {
		return nil, fmt.Errorf("%s: %w", meta, err)
	}
	extra, err := countLines(d.extraDay)
	if err != nil {
		return nil, err
	}
	d.extraEvents = extra
	d.events = sum.Events - extra
	d.bytes = sum.Bytes
	return d, nil
}

func countLines(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var n int64 = 1
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n, nil
}

// addExtraDay puts the held-out day in place; removeExtraDay takes it away.
func (d *dataset) addExtraDay() error {
	if err := os.MkdirAll(filepath.Dir(d.extraDst), 0o755); err != nil {
		return err
	}
	return os.Link(d.extraDay, d.extraDst)
}

func (d *dataset) removeExtraDay() { os.Remove(d.extraDst) }
