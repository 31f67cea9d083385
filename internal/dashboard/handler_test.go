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

// TestDashboardDataMatchesRawEvents checks every chart of /api/data,
// unfiltered and under every filter, against counts made straight from
// the raw files: every category the events hold is on its chart with its
// count, and nothing else is; a ranking holds the top ones, in order.
func TestDashboardDataMatchesRawEvents(t *testing.T) {
	srv := newServer(t)
	_, data := loadedWarehouse(t)
	o := warehousetest.NewOracle(t, data.Songs, data.Logs)
	changes := levelChanges(o)
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
		{"?from=2018-11-05&to=2018-11-05&level=free&top=1", func(p warehousetest.Play) bool { return day(p.TS) == "2018-11-05" && p.Level == "free" }},
		{"?top=50", func(warehousetest.Play) bool { return true }},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			filter, err := dashboard.ParseFilter(mustQuery(c.query))
			if err != nil {
				t.Fatal(err)
			}
			got := apiData(t, srv, c.query)
			perDay, hours, weekdays, levels, locs := counter{}, counter{}, counter{}, counter{}, counter{}
			played, playedArtists, catalogSongs, catalogArtists, browsers, systems := counter{}, counter{}, counter{}, counter{}, counter{}, counter{}
			users, sessions := map[string]bool{}, map[int64]bool{}
			var total int64
			first, last := "9999", ""
			for _, p := range o.Plays {
				if !c.keep(p) {
					continue
				}
				total++
				users[p.UserID], sessions[p.SessionID] = true, true
				at := time.UnixMilli(p.TS).UTC()
				first, last = min(first, day(p.TS)), max(last, day(p.TS))
				perDay[day(p.TS)]++
				hours[fmt.Sprint(at.Hour())]++
				weekdays[dashboard.Weekdays[at.Weekday()]]++
				levels[p.Level]++
				locs[p.Location]++
				played[dashboard.SongLabel(p.Song, p.Artist)]++
				playedArtists[p.Artist]++
				if p.SongID != "" {
					catalogSongs[dashboard.SongLabel(o.Songs[p.SongID].Title, o.Artists[p.ArtistID].Name)]++
				}
				if p.ArtistID != "" {
					catalogArtists[o.Artists[p.ArtistID].Name]++
				}
				a := dashboard.ParseAgent(p.UserAgent)
				browsers[a.Browser]++
				systems[a.OS]++
			}
			if total == 0 {
				t.Fatal("the filter keeps no plays: a useless case")
			}
			s := got.Summary
			if s.Plays != total || s.Users != int64(len(users)) || s.Sessions != int64(len(sessions)) {
				t.Errorf("%d plays, %d users, %d sessions; the raw events hold %d, %d, %d", s.Plays, s.Users, s.Sessions, total, len(users), len(sessions))
			}
			// Every day from the first to the last play, quiet ones as 0.
			f, _ := time.Parse("2006-01-02", first)
			l, _ := time.Parse("2006-01-02", last)
			if n := int(l.Sub(f).Hours()/24) + 1; len(got.PlaysPerDay) != n || s.FirstDay != first || s.LastDay != last {
				t.Errorf("%d days from %s to %s, the raw events span %d from %s to %s", len(got.PlaysPerDay), s.FirstDay, s.LastDay, n, first, last)
			}
			sameCounts(t, "plays per day", got.PlaysPerDay, perDay)
			sameCounts(t, "plays by hour", got.PlaysByHour, hours)
			sameCounts(t, "plays by weekday", got.PlaysByWeekday, weekdays)
			sameCounts(t, "levels", got.Levels, levels)
			sameCounts(t, "browsers", got.Browsers, browsers)
			sameCounts(t, "operating systems", got.Systems, systems)
			if len(got.PlaysByHour) != 24 || len(got.PlaysByWeekday) != 7 {
				t.Errorf("%d hours and %d weekdays", len(got.PlaysByHour), len(got.PlaysByWeekday))
			}
			for i, w := range got.PlaysByWeekday {
				if w.Label != dashboard.Weekdays[i] {
					t.Errorf("weekday %d is %q", i, w.Label)
				}
			}
			sameRanking(t, "top locations", got.Locations, locs, filter.Top)
			sameRanking(t, "top songs (as played)", songCounts(got.TopPlayed), played, filter.Top)
			sameRanking(t, "top artists (as played)", got.TopPlayedArtists, playedArtists, filter.Top)
			sameRanking(t, "top songs (catalog)", songCounts(got.TopSongs), catalogSongs, filter.Top)
			sameRanking(t, "top artists (catalog)", got.TopArtists, catalogArtists, filter.Top)
			if c.query == "" && (len(catalogSongs) < 2 || len(catalogArtists) < 2) {
				t.Errorf("the sample plays %d catalog songs by %d artists: the catalog charts are not tested", len(catalogSongs), len(catalogArtists))
			}

			// Conversions ignore the level but keep the days; they sit on
			// the days of the plays chart (and any other day with a change).
			want := map[string]string{}
			for d, ud := range changes {
				if (filter.From.IsZero() || d >= filter.Day(filter.From)) && (filter.To.IsZero() || d <= filter.Day(filter.To)) {
					want[d] = fmt.Sprintf("%d/%d", ud[0], ud[1])
				}
			}
			onChart := map[string]bool{}
			for i, cv := range got.Conversions {
				onChart[cv.Day] = true
				if i > 0 && cv.Day <= got.Conversions[i-1].Day {
					t.Errorf("conversions: %s after %s", cv.Day, got.Conversions[i-1].Day)
				}
				if g := fmt.Sprintf("%d/%d", cv.Upgrades, cv.Downgrades); g != want[cv.Day] && (g != "0/0" || want[cv.Day] != "") {
					t.Errorf("conversions on %s: %s, the raw events give %q", cv.Day, g, want[cv.Day])
				}
			}
			for d := range want {
				if !onChart[d] {
					t.Errorf("conversions: %s (%s) is missing", d, want[d])
				}
			}
			for _, p := range got.PlaysPerDay {
				if !onChart[p.Label] {
					t.Errorf("conversions: the plays day %s is missing", p.Label)
				}
			}
			if c.query == "" && len(want) < 3 {
				t.Errorf("the sample has %d days with level changes: conversions are not tested", len(want))
			}
		})
	}
}

// counter counts plays by label.
type counter map[string]int64

func mustQuery(q string) url.Values {
	v, err := url.ParseQuery(strings.TrimPrefix(q, "?"))
	if err != nil {
		panic(err)
	}
	return v
}

// rawKey is how a chart's label names a raw value: "(none)" is empty.
func rawKey(label string) string {
	if label == "(none)" {
		return ""
	}
	return label
}

// sameCounts checks a chart that shows every category: each label it
// shows has the raw count (a label the events lack, as 0), once, and each
// category the events hold is shown.
func sameCounts(t *testing.T, what string, got []dashboard.Count, want counter) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range got {
		label := rawKey(c.Label)
		if seen[label] {
			t.Errorf("%s: %q twice", what, c.Label)
		}
		seen[label] = true
		if c.Plays != want[label] {
			t.Errorf("%s %q: %d, the raw events give %d", what, c.Label, c.Plays, want[label])
		}
	}
	for label, n := range want {
		if !seen[label] {
			t.Errorf("%s: %q (%d plays) is missing", what, label, n)
		}
	}
}

// sameRanking checks a top-n chart: min(n, categories) rows, most plays
// first, each with its raw count, and no category left out has more plays
// than the last one shown.
func sameRanking(t *testing.T, what string, got []dashboard.Count, want counter, n int) {
	t.Helper()
	if len(got) != min(n, len(want)) {
		t.Errorf("%s: %d rows, want %d (top %d of %d)", what, len(got), min(n, len(want)), n, len(want))
	}
	shown := map[string]bool{}
	for i, c := range got {
		label := rawKey(c.Label)
		if shown[label] {
			t.Errorf("%s: %q twice", what, c.Label)
		}
		shown[label] = true
		if c.Plays != want[label] {
			t.Errorf("%s %q: %d, the raw events give %d", what, c.Label, c.Plays, want[label])
		}
		if i > 0 && c.Plays > got[i-1].Plays {
			t.Errorf("%s: %q (%d) after %q (%d)", what, c.Label, c.Plays, got[i-1].Label, got[i-1].Plays)
		}
	}
	if len(got) == 0 {
		return
	}
	for label, plays := range want {
		if !shown[label] && plays > got[len(got)-1].Plays {
			t.Errorf("%s: %q (%d plays) is left out for %q (%d)", what, label, plays, got[len(got)-1].Label, got[len(got)-1].Plays)
		}
	}
}

func songCounts(ss []dashboard.Song) []dashboard.Count {
	var out []dashboard.Count
	for _, s := range ss {
		out = append(out, dashboard.Count{Label: dashboard.SongLabel(rawKey(s.Title), rawKey(s.Artist)), Plays: s.Plays})
	}
	return out
}

// levelChanges counts, per day, the upgrades (free to paid) and
// downgrades (paid to free) in the level periods the oracle computed from
// the raw events: a change happens where a user's next period starts.
func levelChanges(o *warehousetest.Oracle) map[string][2]int64 {
	out := map[string][2]int64{}
	for _, ps := range o.Levels {
		for i := 1; i < len(ps); i++ {
			d := time.UnixMilli(ps[i].From).UTC().Format("2006-01-02")
			c := out[d]
			switch {
			case ps[i-1].Level == "free" && ps[i].Level == "paid":
				c[0]++
			case ps[i-1].Level == "paid" && ps[i].Level == "free":
				c[1]++
			default:
				continue
			}
			out[d] = c
		}
	}
	return out
}

func TestDashboardPageEscapesTheData(t *testing.T) {
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

func TestDashboardHeaders(t *testing.T) {
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

func TestDashboardEndpoints(t *testing.T) {
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
	// Every filter reaches the page's form, its JSON link and the JSON.
	q := "?from=2018-11-05&to=2018-11-20&level=paid&top=7"
	_, page := get(t, srv.URL+"/"+q)
	for _, want := range []string{`name="from" value="2018-11-05"`, `name="to" value="2018-11-20"`, `<option value="paid" selected>`,
		`name="top" min="1" max="50" value="7"`, `href="api/data?from=2018-11-05&amp;level=paid&amp;to=2018-11-20&amp;top=7"`,
		"2018-11-05 to 2018-11-20, paid plays"} {
		if !strings.Contains(page, want) {
			t.Errorf("/%s: the page lacks %s", q, want)
		}
	}
	_, js := get(t, srv.URL+"/api/data"+q)
	var echo struct {
		Filter    map[string][]string
		Warehouse string
	}
	if err := json.Unmarshal([]byte(js), &echo); err != nil {
		t.Fatal(err)
	}
	if got := url.Values(echo.Filter).Encode(); got != "from=2018-11-05&level=paid&to=2018-11-20&top=7" || !strings.HasPrefix(echo.Warehouse, "duckdb") {
		t.Errorf("/api/data%s: filter %s, warehouse %q", q, got, echo.Warehouse)
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

func TestDashboardBadFiltersAre400(t *testing.T) {
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

func TestDashboardHostMustBeLoopback(t *testing.T) {
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

func TestDashboardBusyWarehouseIs503(t *testing.T) {
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
func TestDashboardWarehouseIsClosedBetweenRequests(t *testing.T) {
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

func TestDashboardAgentParsing(t *testing.T) {
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
