package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// Hostile values the data itself carries: a played song with a catalog
// entry, its artist and its listener's location.
const (
	xssTitle    = "<script>alert(1)</script>"
	xssArtist   = "<img src=x onerror=alert(2)>__f__alert(3)__f__"
	xssLocation = "<svg onload=alert(4)>, XS"
	xssPlays    = 30
)

// xssSample is the real sample plus one song file and one day of events
// that play it xssPlays times: the second most played song of the sample.
func xssSample(t testing.TB) warehousetest.Data {
	t.Helper()
	data := warehousetest.CopySample(t, 0)
	song, _ := json.Marshal(map[string]any{
		"num_songs": 1, "artist_id": "ARXSS00000000000001", "artist_latitude": nil, "artist_longitude": nil,
		"artist_location": xssLocation, "artist_name": xssArtist, "song_id": "SOXSS00000000000001",
		"title": xssTitle, "duration": 123.45, "year": 2018,
	})
	write(t, filepath.Join(data.Songs, "X", "S", "S", "TRXSS0000000000001.json"), string(song)+"\n")
	var lines []string
	for i := 0; i < xssPlays; i++ {
		e, _ := json.Marshal(map[string]any{
			"artist": xssArtist, "auth": "Logged In", "firstName": "<i>Eve</i>", "gender": "F",
			"itemInSession": i, "lastName": "X", "length": 123.45, "level": "paid", "location": xssLocation,
			"method": "PUT", "page": "NextSong", "registration": 1540000000000.0, "sessionId": 99999,
			"song": xssTitle, "status": 200, "ts": 1543492800000 + int64(i)*300000,
			"userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36",
			"userId":    "9999",
		})
		lines = append(lines, string(e))
	}
	// Then the user cancels (the sample has no cancellation): the churn
	// chart has a day to show.
	for i, page := range []string{"Cancel", "Cancellation Confirmation"} {
		e, _ := json.Marshal(map[string]any{
			"artist": nil, "auth": "Logged In", "firstName": "<i>Eve</i>", "gender": "F",
			"itemInSession": xssPlays + i, "lastName": "X", "length": nil, "level": "paid", "location": xssLocation,
			"method": "PUT", "page": page, "registration": 1540000000000.0, "sessionId": 99999,
			"song": nil, "status": 200, "ts": 1543492800000 + int64(xssPlays+i)*300000,
			"userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36",
			"userId":    "9999",
		})
		lines = append(lines, string(e))
	}
	write(t, filepath.Join(data.Logs, "2018", "11", "2018-11-29-xss-events.json"), strings.Join(lines, "\n")+"\n")
	return data
}

func write(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// loaded is a DuckDB file holding the XSS sample, loaded once per test
// binary: every test only reads it.
var loaded struct {
	once sync.Once
	dsn  string
	data warehousetest.Data
}

// loadedWarehouse returns the DSN of the loaded file and its sources.
func loadedWarehouse(t *testing.T) (string, warehousetest.Data) {
	t.Helper()
	loaded.once.Do(func() {
		dir, err := os.MkdirTemp("", "sparkify-dashboard-test-")
		if err != nil {
			t.Fatal(err)
		}
		// Removed by TestMain.
		loaded.dsn = "duckdb:" + filepath.Join(dir, "w.duckdb")
		loaded.data = xssSample(&keepTemp{T: t, dir: dir})
		wh, err := duckdb.Open(context.Background(), loaded.dsn, warehouse.Options{}, false)
		if err != nil {
			t.Fatal(err)
		}
		warehousetest.Load(t, wh, loaded.data)
		if err := wh.Close(); err != nil {
			t.Fatal(err)
		}
	})
	if loaded.dsn == "" {
		t.Fatal("the shared warehouse failed to load")
	}
	return loaded.dsn, loaded.data
}

// keepTemp gives CopySample a temp folder that outlives the first test.
type keepTemp struct {
	*testing.T
	dir string
	n   int
}

func (k *keepTemp) TempDir() string {
	k.n++
	d := filepath.Join(k.dir, "data", strings.Repeat("x", k.n))
	os.MkdirAll(d, 0o755)
	return d
}

func TestMain(m *testing.M) {
	code := m.Run()
	if loaded.dsn != "" {
		os.RemoveAll(filepath.Dir(strings.TrimPrefix(loaded.dsn, "duckdb:")))
	}
	os.Exit(code)
}

// readOnly opens a DSN read-only, as sparkify serve does.
func readOnly(dsn string) dashboard.Opener {
	return func(ctx context.Context) (warehouse.Warehouse, error) {
		return duckdb.Open(ctx, dsn, warehouse.Options{ReadOnly: true}, true)
	}
}

// newServer serves the dashboard of the loaded warehouse.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	dsn, _ := loadedWarehouse(t)
	srv := httptest.NewServer(dashboard.New(dashboard.Options{Open: readOnly(dsn), LoopbackOnly: true}))
	t.Cleanup(srv.Close)
	return srv
}

// ask runs a dashboard query on the warehouse directly, as text rows.
func ask(t *testing.T, dsn, name string, args analytics.Args) [][]string {
	t.Helper()
	wh, err := readOnly(dsn)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	q, err := dashboard.Query(name)
	if err != nil {
		if q, err = analytics.Get(name); err != nil {
			t.Fatal(err)
		}
	}
	res, err := analytics.Run(context.Background(), wh.DB(), q, args)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, row := range res.Rows {
		var cells []string
		for _, v := range row {
			cells = append(cells, output.Text(v))
		}
		out = append(out, cells)
	}
	return out
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp, b.String()
}
