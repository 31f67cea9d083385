package dashboard_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// apiData fetches /api/data with a query string.
func apiData(t *testing.T, srv *httptest.Server, query string) dashboard.Data {
	t.Helper()
	resp, body := get(t, srv.URL+"/api/data"+query)
	if resp.StatusCode != 200 {
		t.Fatalf("/api/data%s: %d %s", query, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	var out struct{ Data dashboard.Data }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Data
}

// TestDataMatchesRawEvents checks the dashboard's numbers, unfiltered and
// under every filter, against counts made straight from the raw files.
func TestDataMatchesRawEvents(t *testing.T) {
	srv := newServer(t)
	_, data := loadedWarehouse(t)
	o := warehousetest.NewOracle(t, data.Songs, data.Logs)
	var err error
	day := func(ts int64) string { return time.UnixMilli(ts).UTC().Format("2006-01-02") }
	cases := []struct {
		query string
		keep  func(p warehousetest.Play) bool
	}{
		{"", func(warehousetest.Play) bool { return true }},
		{"?level=paid", func(p warehousetest.Play) bool { return p.Level == "paid" }},
		{"?level=free", func(p warehousetest.Play) bool { return p.Level == "free" }},
		{"?from=2018-11-10&to=2018-11-12", func(p warehousetest.Play) bool { return day(p.TS) >= "2018-11-10" && day(p.TS) <= "2018-11-12" }},
		{"?from=2018-11-28&level=paid&top=3", func(p warehousetest.Play) bool { return day(p.TS) >= "2018-11-28" && p.Level == "paid" }},
		{"?to=2018-11-03", func(p warehousetest.Play) bool { return day(p.TS) <= "2018-11-03" }},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			got := apiData(t, srv, c.query)
			perDay, hours, levels, locs, browsers := map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
			played := map[string]int64{}
			var total int64
			first, last := "9999", ""
			for _, p := range o.Plays {
				if !c.keep(p) {
					continue
				}
				total++
				first, last = min(first, day(p.TS)), max(last, day(p.TS))
				perDay[day(p.TS)]++
				hours[fmt.Sprint(time.UnixMilli(p.TS).UTC().Hour())]++
				levels[p.Level]++
				locs[p.Location]++
				played[dashboard.SongLabel(p.Song, p.Artist)]++
				browsers[dashboard.ParseAgent(p.UserAgent).Browser]++
			}
			if got.Summary.Plays != total {
				t.Errorf("plays %d, the raw events hold %d", got.Summary.Plays, total)
			}
			// Every day from the first to the last play, quiet ones as 0.
			f, _ := time.Parse("2006-01-02", first)
			l, _ := time.Parse("2006-01-02", last)
			if n := int(l.Sub(f).Hours()/24) + 1; len(got.PlaysPerDay) != n || got.Summary.FirstDay != first || got.Summary.LastDay != last {
				t.Errorf("%d days from %s to %s, the raw events span %d from %s to %s", len(got.PlaysPerDay), got.Summary.FirstDay, got.Summary.LastDay, n, first, last)
			}
			sameCounts(t, "plays per day", got.PlaysPerDay, perDay)
			sameCounts(t, "plays by hour", got.PlaysByHour, hours)
			sameCounts(t, "levels", got.Levels, levels)
			sameCounts(t, "browsers", got.Browsers, browsers)
			top := 10
			if strings.Contains(c.query, "top=3") {
				top = 3
			}
			if len(got.Locations) != min(top, len(locs)) || len(got.TopPlayed) != min(top, len(played)) {
				t.Errorf("rankings of %d locations and %d songs, want top %d", len(got.Locations), len(got.TopPlayed), top)
			}
			sameCounts(t, "top locations", got.Locations, locs)
			// Conversions ignore the level but keep the days.
			dsn, _ := loadedWarehouse(t)
			var filter dashboard.Filter
			if filter, err = dashboard.ParseFilter(mustQuery(c.query)); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for _, r := range ask(t, dsn, "conversions", analytics.Args{From: filter.From, To: filter.To}) {
				want[r[0]] = r[1] + "/" + r[2]
			}
			n := 0
			for _, cv := range got.Conversions {
				if cv.Upgrades+cv.Downgrades > 0 {
					n++
					if g := fmt.Sprintf("%d/%d", cv.Upgrades, cv.Downgrades); g != want[cv.Day] {
						t.Errorf("conversions on %s: %s, the warehouse says %s", cv.Day, g, want[cv.Day])
					}
				}
			}
			if n != len(want) || (c.query == "" && n == 0) {
				t.Errorf("%d days with conversions, the warehouse has %d", n, len(want))
			}
			for i, s := range got.TopPlayed {
				if want := played[dashboard.SongLabel(s.Title, s.Artist)]; s.Plays != want {
					t.Errorf("top played %q: %d plays, want %d", s.Title, s.Plays, want)
				}
				if i > 0 && s.Plays > got.TopPlayed[i-1].Plays {
					t.Errorf("top played not in order at %d", i)
				}
			}
		})
	}
}

func mustQuery(q string) url.Values {
	v, err := url.ParseQuery(strings.TrimPrefix(q, "?"))
	if err != nil {
		panic(err)
	}
	return v
}

// sameCounts checks every non-zero count against the raw ones.
func sameCounts(t *testing.T, what string, got []dashboard.Count, want map[string]int64) {
	t.Helper()
	for _, c := range got {
		label := c.Label
		if label == "(none)" {
			label = ""
		}
		if c.Plays != want[label] {
			t.Errorf("%s %q: %d, the raw events give %d", what, c.Label, c.Plays, want[label])
		}
	}
}

func TestPageEscapesTheData(t *testing.T) {
	srv := newServer(t)
	resp, body := get(t, srv.URL+"/?top=50")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	for _, raw := range []string{xssTitle, "<img src=x", "<svg onload", "<i>Eve"} {
		if strings.Contains(body, raw) {
			t.Errorf("the page holds %q unescaped", raw)
		}
	}
	// As text in the tables, as \u escapes in the chart options, where
	// go-echarts' "__f__" marker stays inside its quoted string.
	for _, want := range []string{`__f__alert(3)__f__"`, "&lt;script&gt;alert(1)&lt;/script&gt;", `\u003cscript\u003ealert(1)\u003c/script\u003e`, "&lt;svg onload=alert(4)&gt;, XS"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// The only scripts are the two files and the JSON blocks.
	if n := strings.Count(body, "<script"); n != strings.Count(body, `<script type="application/json"`)+2 {
		t.Errorf("%d script elements", n)
	}
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Error("the page links outside the server")
	}
	_, js := get(t, srv.URL+"/api/data")
	if strings.Contains(js, "<script") || !strings.Contains(js, `\u003cscript\u003e`) {
		t.Error("the JSON holds a raw <script")
	}
}

func TestHeaders(t *testing.T) {
	srv := newServer(t)
	for _, path := range []string{"/", "/api/data", "/assets/echarts.min.js", "/nope", "/?level=x"} {
		resp, _ := get(t, srv.URL+path)
		h := resp.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

func TestEndpoints(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		path, contentType, holds string
		status                   int
	}{
		{"/", "text/html", `id="chart-top-played"`, 200},
		{"/?from=2018-11-05&to=2018-11-05&level=free&top=1", "text/html", `value="2018-11-05"`, 200},
		{"/api/data", "application/json", `"plays_per_day"`, 200},
		{"/assets/echarts.min.js", "text/javascript", "Apache", 200},
		{"/assets/dashboard.js", "text/javascript", "JSON.parse", 200},
		{"/assets/dashboard.css", "text/css", ".chart", 200},
		{"/assets/echarts/LICENSE", "text/plain", "Apache License", 200},
		{"/assets/echarts/NOTICE", "text/plain", "Apache ECharts", 200},
		{"/assets/echarts/LICENSE-zrender", "text/plain", "BSD", 200},
		{"/healthz", "text/plain", "ok", 200},
		{"/assets/../dashboard.go", "", "", 404},
		{"/assets/", "", "", 404},
		{"/assets/echarts", "", "", 404},
		{"/nope", "", "", 404},
	}
	for _, c := range cases {
		resp, body := get(t, srv.URL+c.path)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.path, resp.StatusCode, c.status)
			continue
		}
		if c.status == 200 && (!strings.HasPrefix(resp.Header.Get("Content-Type"), c.contentType) || !strings.Contains(body, c.holds)) {
			t.Errorf("%s: %s, %d bytes, lacks %q", c.path, resp.Header.Get("Content-Type"), len(body), c.holds)
		}
	}
	resp, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d", resp.StatusCode)
	}
}

func TestBadFiltersAre400(t *testing.T) {
	srv := newServer(t)
	cases := map[string]string{
		"?from=2018-13-01":                 `filter from: "2018-13-01" is not a day`,
		"?from=yesterday":                  "is not a day: use YYYY-MM-DD",
		"?to=2018-11-5":                    `filter to: "2018-11-5" is not a day`,
		"?from=2018-11-20&to=2018-11-10":   "2018-11-20 is after to 2018-11-10",
		"?level=gold":                      `filter level: "gold" is not a level: use free or paid`,
		"?level=paid'%20OR%201=1--":        "is not a level",
		"?top=0":                           "not a whole number from 1 to 50",
		"?top=51":                          "not a whole number from 1 to 50",
		"?top=ten":                         "not a whole number",
		"?lvl=paid":                        `filter "lvl": unknown parameter: use from, to, level, top`,
		"?level=free&level=paid":           "filter level: given more than once",
		"?from=%3Cscript%3Ealert(1)%3C/sc": `"<script>alert(1)</sc" is not a day`,
	}
	for _, path := range []string{"/", "/api/data"} {
		for q, want := range cases {
			resp, body := get(t, srv.URL+path+q)
			if resp.StatusCode != 400 || !strings.Contains(body, want) {
				t.Errorf("%s%s: %d %q, want 400 %q", path, q, resp.StatusCode, body, want)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("%s%s: a 400 of type %q", path, q, ct)
			}
		}
	}
}

func TestHostMustBeLoopback(t *testing.T) {
	srv := newServer(t)
	for host, want := range map[string]int{"evil.example:80": 421, "localhost:8080": 200, "127.0.0.1": 200, "[::1]:9": 200} {
		req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

func TestBusyWarehouseIs503(t *testing.T) {
	locked := func(ctx context.Context) (warehouse.Warehouse, error) {
		<-ctx.Done()
		return nil, fmt.Errorf("%w: held by PID 1", warehouse.ErrLocked)
	}
	srv := httptest.NewServer(dashboard.New(dashboard.Options{Open: locked, LockWait: 50 * time.Millisecond}))
	defer srv.Close()
	resp, body := get(t, srv.URL+"/")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "a load is running") {
		t.Errorf("%d %q", resp.StatusCode, body)
	}
	broken := func(context.Context) (warehouse.Warehouse, error) { return nil, errors.New("no such file") }
	srv2 := httptest.NewServer(dashboard.New(dashboard.Options{Open: broken}))
	defer srv2.Close()
	if resp, body := get(t, srv2.URL+"/api/data"); resp.StatusCode != 500 || !strings.Contains(body, "no such file") {
		t.Errorf("%d %q", resp.StatusCode, body)
	}
}

// TestWarehouseIsClosedBetweenRequests: the handler holds the DuckDB file
// only while a request reads it, so a load can take it in between.
func TestWarehouseIsClosedBetweenRequests(t *testing.T) {
	dsn, _ := loadedWarehouse(t)
	var opened, closed int
	open := func(ctx context.Context) (warehouse.Warehouse, error) {
		wh, err := readOnly(dsn)(ctx)
		if err != nil {
			return nil, err
		}
		opened++
		return &countClose{Warehouse: wh, n: &closed}, nil
	}
	srv := httptest.NewServer(dashboard.New(dashboard.Options{Open: open}))
	defer srv.Close()
	for i := 0; i < 2; i++ {
		get(t, srv.URL+"/api/data")
	}
	if opened != 2 || closed != 2 {
		t.Errorf("opened %d, closed %d times for 2 requests", opened, closed)
	}
}

type countClose struct {
	warehouse.Warehouse
	n *int
}

func (c *countClose) Close() error { *c.n++; return c.Warehouse.Close() }

func TestRunsShowTheirChecks(t *testing.T) {
	srv := newServer(t)
	got := apiData(t, srv, "")
	if len(got.Runs) != 1 || got.Runs[0].Status != "succeeded" || got.Runs[0].Checks != "not run" {
		t.Fatalf("runs: %+v", got.Runs)
	}
	_, body := get(t, srv.URL+"/")
	if !strings.Contains(body, `<td class="checks-not run">not run</td>`) {
		t.Error("the runs table lacks the checks column")
	}
}

func TestAgentParsing(t *testing.T) {
	cases := map[string]dashboard.Agent{
		`"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"`:                  {"Chrome", "macOS"},
		`"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2"`:                     {"Safari", "macOS"},
		`Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0`:                                                                           {"Firefox", "Windows"},
		`"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36"`:   {"Chromium", "Linux"},
		`"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53"`: {"Safari", "iOS"},
		`Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko`:                                                                        {"Internet Explorer", "Windows"},
		`Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)`:                                                                     {"Internet Explorer", "Windows"},
		`Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0`:                       {"Edge", "Windows"},
		`Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36`:                                    {"Chrome", "Android"},
		``:         {"Unknown", "Unknown"},
		`curl/8.0`: {"Other", "Other"},
	}
	var names []string
	for ua := range cases {
		names = append(names, ua)
	}
	sort.Strings(names)
	for _, ua := range names {
		if got := dashboard.ParseAgent(ua); got != cases[ua] {
			t.Errorf("%s: %+v, want %+v", ua, got, cases[ua])
		}
	}
}
