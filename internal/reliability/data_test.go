package reliability

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// dataDir holds the data sets built for this package's tests.
var dataDir string

// dataset is a read-only data set: the real sample's songs and its logs
// repeated copies times as different users and sessions.
type dataset struct {
	songs string   // song_data folder
	root  string   // folder the log files are under
	logs  []string // log files, relative to root, in load order
	plays int64    // NextSong events with a user: the songplays a load must make
	lines int64    // event lines
}

var (
	dataOnce sync.Once
	bigData  *dataset
	dataErr  error

	genOnce sync.Once
	genData *dataset
	genErr  error
)

// copies is how many times the sample's logs are repeated: enough that a
// load takes a few seconds here, many more with SPARKIFY_LONG_TESTS=1.
func copies() int {
	if longTests() {
		return 12
	}
	return 2
}

// sampleData returns the shared data set, built on first use.
func sampleData(t testing.TB) *dataset {
	t.Helper()
	sample := testutil.SampleDir(t)
	dataOnce.Do(func() {
		dataDir, dataErr = os.MkdirTemp("", "sparkify-reliability-data-")
		if dataErr == nil {
			os.Chmod(dataDir, 0o755)
			bigData, dataErr = buildData(t, sample, dataDir, copies())
		}
	})
	if dataErr != nil {
		t.Fatal(dataErr)
	}
	return bigData
}

// buildData copies the sample's songs and writes its logs n times; copy k
// adds k*100000 to every sessionId and makes user u "k-u", so every copy's
// events are new events. Counts are taken from the lines written.
func buildData(t testing.TB, sample, dir string, n int) (*dataset, error) {
	ds := &dataset{songs: filepath.Join(sample, "song_data"), root: filepath.Join(dir, "log_data")}
	days := warehousetest.LogFiles(t, filepath.Join(sample, "log_data"))
	for k := range n {
		for _, f := range days {
			rel := filepath.Join(fmt.Sprintf("copy%02d", k), filepath.Base(f))
			lines, plays, err := rewriteLog(f, filepath.Join(ds.root, rel), k)
			if err != nil {
				return nil, err
			}
			ds.logs = append(ds.logs, rel)
			ds.lines += lines
			ds.plays += plays
		}
	}
	sort.Strings(ds.logs)
	return ds, nil
}

func rewriteLog(src, dst string, k int) (lines, plays int64, err error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, 0, err
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return 0, 0, fmt.Errorf("%s: %v", src, err)
		}
		sid, _ := m["sessionId"].(json.Number).Int64()
		m["sessionId"] = sid + int64(k)*100000
		if uid, _ := m["userId"].(string); uid != "" {
			m["userId"] = strconv.Itoa(k) + "-" + uid
			if m["page"] == "NextSong" {
				plays++
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			return 0, 0, err
		}
		out.Write(b)
		out.WriteByte('\n')
		lines++
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, 0, err
	}
	return lines, plays, os.WriteFile(dst, out.Bytes(), 0o644)
}

// linkLogs hard-links log files [from, to) of the data set into dst, so a
// test can grow its own log folder without copying.
func (ds *dataset) linkLogs(t testing.TB, dst string, from, to int) {
	t.Helper()
	for _, rel := range ds.logs[from:to] {
		p := filepath.Join(dst, rel)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		if err := os.Link(filepath.Join(ds.root, rel), p); err != nil {
			t.Fatal(err)
		}
	}
}

// generatedData returns a data set made by 'sparkify generate': 800,000
// events over 4 days, about 670,000 plays. Each half is a load that
// appends more than two row groups (122,880 rows each) to songplays,
// which DuckDB writes to the file before COMMIT ("optimistic writes"); the
// sample's few thousand plays never take that path, and neither did a
// load of 170,000 plays when the commit tests were written. Counts are
// taken from the files written.
func generatedData(t testing.TB) *dataset {
	t.Helper()
	genOnce.Do(func() {
		var dir string
		if dir, genErr = os.MkdirTemp("", "sparkify-reliability-gen-"); genErr != nil {
			return
		}
		genDirs = append(genDirs, dir)
		out := filepath.Join(dir, "data")
		cmd := exec.Command(sparkifyBin(t), "generate", "--out", out, "--songs", "300", "--users", "300",
			"--days", "4", "--events-per-day", "200000", "--seed", "7", "-q")
		if b, err := cmd.CombinedOutput(); err != nil {
			genErr = fmt.Errorf("sparkify generate: %v\n%s", err, b)
			return
		}
		genData, genErr = scanData(filepath.Join(out, "song_data"), filepath.Join(out, "log_data"))
	})
	if genErr != nil {
		t.Fatal(genErr)
	}
	return genData
}

// genDirs are the folders generatedData made, removed by TestMain.
var genDirs []string

// scanData describes the log files under root (in name order, which is day
// order) and counts their lines and plays.
func scanData(songs, root string) (*dataset, error) {
	ds := &dataset{songs: songs, root: root}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		ds.logs = append(ds.logs, rel)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var ev struct {
				Page   string `json:"page"`
				UserID any    `json:"userId"`
			}
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			ds.lines++
			if ev.Page == "NextSong" && ev.UserID != nil && ev.UserID != "" {
				ds.plays++
			}
		}
		return sc.Err()
	})
	sort.Strings(ds.logs)
	return ds, err
}
