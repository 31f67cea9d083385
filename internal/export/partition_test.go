package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// hashName is the documented safe name (docs/export.md): prefix, "~", the
// first 32 hex digits of the value's SHA-256.
func hashName(prefix, value string) string {
	sum := sha256.Sum256([]byte(value))
	return prefix + "~" + hex.EncodeToString(sum[:])[:32]
}

// TestPartitionNameRule checks the documented rule value by value: which
// values keep their escaped name, which get a safe one, and that safe
// names are short, stable and distinct.
func TestPartitionNameRule(t *testing.T) {
	long := strings.Repeat("x", 10_000)
	for _, c := range []struct{ value, want string }{
		{"AR8IEZO1187B99055E", "AR8IEZO1187B99055E"},
		{"x/y=z", "x%2Fy%3Dz"}, // escaped: one folder, read back as the value
		{"..", ".."},
		{"", ""},
		{strings.Repeat("A", 200), strings.Repeat("A", 200)},    // 200 bytes escaped: kept
		{strings.Repeat("é", 33), strings.Repeat("%C3%A9", 33)}, // 198 bytes escaped: kept
		{strings.Repeat("A", 201), hashName(strings.Repeat("A", 64), strings.Repeat("A", 201))},
		{strings.Repeat("é", 34), hashName("", strings.Repeat("é", 34))}, // 204 bytes escaped
		{long, hashName(long[:64], long)},
		{"a\x00b", hashName("a", "a\x00b")},
		{"tab\there", hashName("tab", "tab\there")},
		{"next\u0085line", hashName("next", "next\u0085line")},
		{"bad\xffutf8", hashName("bad", "bad\xffutf8")},
		{NullPartition, hashName(NullPartition, NullPartition)},
		{"AR~" + strings.Repeat("0f", 16), hashName("AR", "AR~"+strings.Repeat("0f", 16))}, // looks renamed
		{"AR~" + strings.Repeat("0F", 16), "AR~" + strings.Repeat("0F", 16)},               // upper case: does not
	} {
		got, renamed := partitionName(c.value)
		if got != c.want || renamed != (got != escapePartition(c.value)) {
			t.Errorf("partitionName(%.40q) = %q, %v; want %q", c.value, got, renamed, c.want)
		}
		if again, _ := partitionName(c.value); again != got {
			t.Errorf("partitionName(%.40q) is not stable: %q then %q", c.value, got, again)
		}
	}
	// Values that share a long prefix and length get distinct names.
	seen := map[string]string{}
	for i := range 20_000 {
		v := fmt.Sprintf("%s%08d", long[:300], i)
		name, renamed := partitionName(v)
		if !renamed || len(name) > maxPartitionName {
			t.Fatalf("%d: %q renamed %v", i, name, renamed)
		}
		if prev, ok := seen[name]; ok {
			t.Fatalf("%q and %q share the folder %s", prev[290:], v[290:], name)
		}
		seen[name] = v
	}
}

// TestUnsafePartitionValues loads songs whose artist_id is too long for a
// folder name (302 bytes, as the loader accepts), holds a tab, spells
// NULL's folder or looks like a safe name, and exports them from DuckDB
// (its COPY and the Go writer) and PostgreSQL: the folders have the
// documented safe names, the manifest maps them to the full values, and the
// files read back (mapped) equal the warehouse.
func TestUnsafePartitionValues(t *testing.T) {
	long := "AR" + strings.Repeat("0123456789", 30)
	long2 := long[:len(long)-1] + "X"
	ids := map[string]string{ // artist_id -> its folder
		"ARPLAIN1":                            "ARPLAIN1",
		"AR/x=y":                              "AR%2Fx%3Dy",
		long:                                  hashName(long[:64], long),
		long2:                                 hashName(long2[:64], long2),
		"AR\tTAB":                             hashName("AR", "AR\tTAB"),
		NullPartition:                         hashName(NullPartition, NullPartition),
		"AR~abababababababababababababababab": hashName("AR", "AR~abababababababababababababababab"),
	}
	data := warehousetest.NewFixture(t)
	var songs []warehousetest.FixSong
	var wantFolders []string
	var wantRenamed []RenamedPartition
	for id, folder := range ids {
		n := len(songs)
		songs = append(songs, warehousetest.FixSong{SongID: fmt.Sprintf("SO%04d", n), Title: fmt.Sprintf("Song %d", n),
			ArtistID: id, ArtistName: fmt.Sprintf("Artist %d", n), Duration: 200, Year: 2001})
		wantFolders = append(wantFolders, "year=2001/artist_id="+folder)
		if folder != escapePartition(id) {
			wantRenamed = append(wantRenamed, RenamedPartition{Column: "artist_id", Folder: folder, Value: id})
		}
	}
	slices.Sort(wantFolders)
	slices.SortFunc(wantRenamed, func(a, b RenamedPartition) int { return strings.Compare(a.Folder, b.Folder) })
	warehousetest.WriteSongs(t, data.Songs, songs)
	warehousetest.WriteEvents(t, filepath.Join(data.Logs, "2018-11-01-events.json"), []warehousetest.FixEvent{{
		TS: time.Date(2018, 11, 1, 10, 0, 0, 0, time.UTC).UnixMilli(), User: "7", First: "A", Last: "B", Level: "free",
		Session: 1, Item: 0, Song: "Song 0", Artist: "Artist 0", Length: 200}})

	check := func(t *testing.T, res *Result, out string, want map[string][]string) {
		if got := partitionFolders(t, filepath.Join(out, "songs")); !slices.Equal(got, wantFolders) {
			t.Errorf("songs folders:\n%q\nwant\n%q", got, wantFolders)
		}
		if got := res.Manifest.Table("songs").RenamedPartitions; !slices.Equal(got, wantRenamed) {
			t.Errorf("renamed partitions:\n%q\nwant\n%q", got, wantRenamed)
		}
		m, err := ReadManifest(out)
		if err != nil || !slices.Equal(m.Table("songs").RenamedPartitions, wantRenamed) {
			t.Errorf("manifest.json renamed partitions: %v %v", m.Table("songs").RenamedPartitions, err)
		}
		assertSame(t, "read back", readBack(t, out), want)
	}
	duck := openWH(t, loadDuckDB(t, data), true)
	if n := len(warehousetest.Dump(t, duck.DB(), "SELECT artist_id FROM songs")); n != len(ids) {
		t.Fatalf("the warehouse has %d songs, want %d", n, len(ids))
	}
	want := warehouseDump(t, duck, []string{"songs", "artists"})
	for _, stream := range []bool{false, true} {
		t.Run(writerName(stream), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "lake")
			check(t, export(t, duck, Options{Out: out, Tables: []string{"songs", "artists"}, stream: stream}), out, want)
		})
	}
	t.Run("postgres", func(t *testing.T) {
		dsn := testutil.Postgres(t)
		warehousetest.Load(t, openWH(t, dsn, false), data)
		pg := openWH(t, dsn, true)
		out := filepath.Join(t.TempDir(), "lake")
		check(t, export(t, pg, Options{Out: out, Tables: []string{"songs", "artists"}, Format: CSV}), out, warehouseDump(t, pg, []string{"songs", "artists"}))
	})
}
