package warehousetest

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
)

// testNamedQueries runs every named query on the sample and checks the
// ones whose answer the oracle can compute.
func testNamedQueries(t *testing.T, open Opener) {
	wh := openT(t, open)
	data := CopySample(t, 0)
	o := NewOracle(t, data.Songs, data.Logs)
	Load(t, wh, data)
	ctx := context.Background()
	run := func(name string, args analytics.Args) [][]any {
		q, err := analytics.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := analytics.Run(ctx, wh.DB(), q, args)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res.Rows
	}
	for _, q := range analytics.List() {
		if !q.Uses("user") {
			run(q.Name, analytics.Args{})
		}
	}

	// top-played: count plays per (title, artist) in the raw events.
	type key struct{ title, artist string }
	counts := map[key]int{}
	hours := map[int]int{}
	levels := map[string]int{}
	for _, p := range o.Plays {
		counts[key{p.Song, p.Artist}]++
		hours[time.UnixMilli(p.TS).UTC().Hour()]++
		levels[p.Level]++
	}
	var keys []key
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if counts[a] != counts[b] {
			return counts[a] > counts[b]
		}
		if a.title != b.title {
			return a.title < b.title
		}
		return a.artist < b.artist
	})
	got := run("top-played", analytics.Args{Year: 2018, Limit: 5})
	for i, row := range got {
		want := fmt.Sprintf("%s|%s|%d", keys[i].title, keys[i].artist, counts[keys[i]])
		if g := fmt.Sprintf("%s|%s|%s", Canon(row[0]), Canon(row[1]), Canon(row[2])); g != want {
			t.Errorf("top-played row %d = %s, want %s", i, g, want)
		}
	}
	for _, row := range run("plays-by-hour", analytics.Args{Year: 2018}) {
		h := int(toInt(row[0]))
		if toInt(row[1]) != int64(hours[h]) {
			t.Errorf("hour %d: %v plays, the raw events hold %d", h, row[1], hours[h])
		}
	}
	for _, row := range run("level-split", analytics.Args{Year: 2018}) {
		if toInt(row[1]) != int64(levels[Canon(row[0])]) {
			t.Errorf("level %v: %v plays, want %d", row[0], row[1], levels[Canon(row[0])])
		}
	}
	// top-songs only counts plays credited to a catalog song.
	matched := map[string]int{}
	for _, p := range o.Plays {
		if p.SongID != "" {
			matched[o.Songs[p.SongID].Title]++
		}
	}
	top := run("top-songs", analytics.Args{Year: 2018, Limit: 5})
	if len(top) != len(matched) && len(top) != 5 {
		t.Errorf("top-songs has %d rows; %d catalog songs were played", len(top), len(matched))
	}
	for _, row := range top {
		if toInt(row[2]) != int64(matched[Canon(row[0])]) {
			t.Errorf("top-songs %v: %v plays, want %d", row[0], row[2], matched[Canon(row[0])])
		}
	}
	if rows := run("top-songs", analytics.Args{Year: 1999, Limit: 5}); len(rows) != 0 {
		t.Errorf("a year without plays gave %d rows", len(rows))
	}
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return -1
}
