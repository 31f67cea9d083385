package dashboard_test

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
)

const chromiumPath = "/usr/bin/chromium"

// hookJS runs before the page's own scripts: it records dialogs (an XSS
// that fired), uncaught errors and Content-Security-Policy violations.
const hookJS = `
window.__alerts = []; window.__errors = []; window.__csp = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function (msg) { window.__alerts.push(name + ":" + msg); };
}
window.addEventListener("error", e => window.__errors.push(String(e.message)));
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
`

// browser starts Debian's Chromium headless, or skips the test when it is
// not installed (fails instead when SPARKIFY_REQUIRE_CHROMIUM is set, as
// in CI).
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("SPARKIFY_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("SPARKIFY_REQUIRE_CHROMIUM is set but %s is missing: apt-get install chromium", chromiumPath)
		}
		t.Skipf("no %s: install chromium to run the browser test", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookJS}); err != nil {
		t.Fatal(err)
	}
	// A real dialog would block the page: dismiss it, the hook has it.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			t.Errorf("a dialog opened: %q", ev.Message)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return ctx
}

// svgText is one text element of a chart, with the centre of its box.
type svgText struct {
	Text string  `json:"text"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	// At is the element's transform: the lines of one label share it.
	At string `json:"at"`
}

// drawing is what echarts drew (SVG renderer) in a chart: every visible
// text, and where the value axis has its 0 (x for a ranking, y for
// columns), in page pixels.
type drawing struct {
	Texts []svgText `json:"texts"`
	Zero  float64   `json:"zero"`
}

func drawn(t *testing.T, ctx context.Context, id string, horizontal bool) drawing {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const el = document.getElementById("chart-%s"), box = el.getBoundingClientRect();
		const c = echarts.getInstanceByDom(el);
		const texts = Array.from(el.querySelectorAll("svg text")).map(e => {
			const r = e.getBoundingClientRect();
			return {text: e.textContent, x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, at: e.getAttribute("transform") || ""};
		}).filter(t => t.w > 0);
		let zero = 0;
		if (%q === "ranking") zero = box.x + c.convertToPixel({xAxisIndex: 0}, 0);
		if (%q === "columns") zero = box.y + c.convertToPixel({yAxisIndex: 0}, 0);
		return {texts, zero};
	})()`, id, map[bool]string{true: "ranking", false: "columns"}[horizontal], map[bool]string{true: "ranking", false: "columns"}[horizontal])
	d, err := chromedp.Run(ctx, chromedp.Evaluate[drawing](js))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// categories are the texts of a chart's category axis, in axis order:
// left of the value axis for a ranking, below it for columns.
func (d drawing) categories(horizontal bool) []svgText {
	var out []svgText
	for _, tx := range d.Texts {
		if horizontal && tx.X < d.Zero-4 || !horizontal && tx.Y > d.Zero+2 {
			out = append(out, tx)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if horizontal {
			return out[i].Y < out[j].Y
		}
		return out[i].X < out[j].X
	})
	return out
}

func texts(ts []svgText) []string {
	out := []string{}
	for _, tx := range ts {
		out = append(out, tx.Text)
	}
	return out
}

// checkBars checks that a chart draws exactly the wanted categories, in
// order, each with its value beside it: on the same row, right of the
// axis, for a ranking (horizontal); in the same column, above the label,
// for columns.
func checkBars(t *testing.T, ctx context.Context, id string, want []pair, horizontal bool) {
	t.Helper()
	d := drawn(t, ctx, id, horizontal)
	cats := d.categories(horizontal)
	var labels []string
	for _, w := range want {
		labels = append(labels, w.label)
	}
	if g := texts(cats); strings.Join(g, "\n") != strings.Join(labels, "\n") {
		t.Errorf("%s: the axis shows %q, the warehouse %q", id, g, labels)
		return
	}
	for i, w := range want {
		label, found := cats[i], false
		for _, v := range d.Texts {
			if v.Text != w.value || v == label {
				continue
			}
			if horizontal && math.Abs(v.Y-label.Y) < 3 && v.X > d.Zero || !horizontal && math.Abs(v.X-label.X) < 3 && v.Y < label.Y {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %q is not drawn with the value %s", id, w.label, w.value)
		}
	}
}

// checkPie checks that a pie draws one slice label for each category,
// its name over "plays (share)", and nothing else.
func checkPie(t *testing.T, ctx context.Context, id string, want []pair) {
	t.Helper()
	var order []string
	lines := map[string][]string{}
	for _, tx := range drawn(t, ctx, id, false).Texts {
		if lines[tx.At] == nil {
			order = append(order, tx.At)
		}
		lines[tx.At] = append(lines[tx.At], tx.Text)
	}
	got := map[string]string{}
	for _, at := range order {
		l := lines[at]
		value, share, ok := strings.Cut(l[len(l)-1], " (")
		if len(l) != 2 || !ok || !strings.HasSuffix(share, "%)") || got[l[0]] != "" {
			t.Errorf("%s: a label %q", id, l)
			continue
		}
		got[l[0]] = value
	}
	w := map[string]string{}
	for _, p := range want {
		w[p.label] = p.value
	}
	if fmt.Sprint(got) != fmt.Sprint(w) {
		t.Errorf("%s: the slices are %v, the warehouse says %v", id, got, w)
	}
}

// checkConversions checks the upgrades and downgrades chart: every day on
// its axis, and above a day with changes its upgrades (the left bar) and
// downgrades (the right one) when not 0, nothing above the others.
func checkConversions(t *testing.T, ctx context.Context, days []string, changes map[string][2]string) {
	t.Helper()
	d := drawn(t, ctx, "conversions", false)
	cats := d.categories(false)
	if g := texts(cats); strings.Join(g, "\n") != strings.Join(days, "\n") {
		t.Errorf("conversions: the axis shows %q, want the days %q", g, days)
		return
	}
	if len(cats) < 2 {
		t.Fatalf("conversions over %d days: too few to tell the bars apart", len(cats))
	}
	half := (cats[1].X - cats[0].X) / 2
	got := map[string][]string{}
	for _, v := range d.Texts {
		if _, err := strconv.Atoi(v.Text); err != nil || v.Y > d.Zero+2 {
			continue
		}
		for _, c := range cats {
			if dx := v.X - c.X; math.Abs(dx) < half && dx != 0 {
				side := map[bool]string{true: "up ", false: "down "}[dx < 0]
				got[c.Text] = append(got[c.Text], side+v.Text)
			}
		}
	}
	for _, day := range days {
		var want []string
		if c := changes[day]; c[0] != "0" && c[0] != "" {
			want = append(want, "up "+c[0])
		}
		if c := changes[day]; c[1] != "0" && c[1] != "" {
			want = append(want, "down "+c[1])
		}
		sort.Strings(want)
		sort.Strings(got[day])
		if strings.Join(got[day], ",") != strings.Join(want, ",") {
			t.Errorf("conversions on %s: drawn %q, the warehouse says %q", day, got[day], want)
		}
	}
}

// pair is one category of a chart and its value, as text.
type pair struct{ label, value string }

// view is a filter of the page, as the test's own SQL applies it.
type view struct {
	query    string // the page's query string
	from, to string // days, "" for no bound
	level    string
	top      int
}

// where is the view's filter as SQL on songplays sp.
func (v view) where() string {
	w := "WHERE TRUE"
	if v.from != "" {
		w += " AND CAST(sp.start_time AS DATE) >= DATE '" + v.from + "'"
	}
	if v.to != "" {
		w += " AND CAST(sp.start_time AS DATE) <= DATE '" + v.to + "'"
	}
	if v.level != "" {
		w += " AND sp.level = '" + v.level + "'"
	}
	return w
}

// expected is what each chart of a view must show, asked of the
// warehouse with the test's own SQL.
type expected struct {
	kpis                                              []string
	perDay, hours, weekdays, levels                   []pair
	topSongs, topArtists, topPlayed, topPlayedArtists []pair
	locations, browsers, systems                      []pair
	conversionDays                                    []string
	conversions                                       map[string][2]string
	runs                                              [][]string
	listening                                         listening
}

func sqlRows(t *testing.T, db *sql.DB, query string) [][]string {
	t.Helper()
	res, err := warehouse.Query(context.Background(), db, query)
	if err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	var out [][]string
	for _, vals := range res.Rows {
		var row []string
		for _, v := range vals {
			row = append(row, output.Text(v))
		}
		out = append(out, row)
	}
	return out
}

// none is how a chart names an empty value.
func none(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func expect(t *testing.T, dsn string, v view) expected {
	t.Helper()
	wh, err := readOnly(dsn)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	db := wh.DB()
	w := v.where()
	q := func(format string, args ...any) [][]string { return sqlRows(t, db, fmt.Sprintf(format, args...)) }
	pairs := func(rows [][]string) []pair {
		out := []pair{}
		for _, r := range rows {
			out = append(out, pair{none(r[0]), r[1]})
		}
		return out
	}
	songs := func(rows [][]string) []pair {
		out := []pair{}
		for _, r := range rows {
			out = append(out, pair{dashboard.SongLabel(none(r[0]), none(r[1])), r[2]})
		}
		return out
	}
	var e expected
	sum := q(`SELECT COUNT(*), COUNT(DISTINCT sp.user_id), COUNT(DISTINCT sp.session_id),
		CAST(MIN(CAST(sp.start_time AS DATE)) AS VARCHAR), CAST(MAX(CAST(sp.start_time AS DATE)) AS VARCHAR) FROM songplays sp %s`, w)[0]
	e.kpis = []string{sum[0], sum[1], sum[2], sum[3] + " – " + sum[4]}
	// Every day from the first to the last play, quiet ones as 0.
	perDay := map[string]string{}
	for _, r := range q(`SELECT CAST(CAST(sp.start_time AS DATE) AS VARCHAR), COUNT(*) FROM songplays sp %s GROUP BY 1`, w) {
		perDay[r[0]] = r[1]
	}
	first, _ := time.Parse(time.DateOnly, sum[3])
	last, _ := time.Parse(time.DateOnly, sum[4])
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		e.perDay = append(e.perDay, pair{day, cmp.Or(perDay[day], "0")})
	}
	hours := map[string]string{}
	for _, r := range q(`SELECT hour(sp.start_time), COUNT(*) FROM songplays sp %s GROUP BY 1`, w) {
		hours[r[0]] = r[1]
	}
	for h := 0; h < 24; h++ {
		e.hours = append(e.hours, pair{strconv.Itoa(h), cmp.Or(hours[strconv.Itoa(h)], "0")})
	}
	days := map[string]string{}
	for _, r := range q(`SELECT dayname(sp.start_time), COUNT(*) FROM songplays sp %s GROUP BY 1`, w) {
		days[r[0]] = r[1]
	}
	for _, d := range []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"} {
		e.weekdays = append(e.weekdays, pair{d, cmp.Or(days[d], "0")})
	}
	e.levels = pairs(q(`SELECT sp.level, COUNT(*) FROM songplays sp %s GROUP BY 1`, w))
	// Rankings: most plays first, ties by name then key, as the page says.
	e.topSongs = songs(q(`SELECT s.title, a.name, COUNT(*) AS n FROM songplays sp JOIN songs s ON s.song_id = sp.song_id
		JOIN artists a ON a.artist_id = sp.artist_id %s GROUP BY s.song_id, s.title, a.name ORDER BY n DESC, s.title, s.song_id LIMIT %d`, w, v.top))
	e.topArtists = pairs(q(`SELECT a.name, COUNT(*) AS n FROM songplays sp JOIN artists a ON a.artist_id = sp.artist_id %s
		GROUP BY a.artist_id, a.name ORDER BY n DESC, a.name, a.artist_id LIMIT %d`, w, v.top))
	e.topPlayed = songs(q(`SELECT sp.song_title, sp.artist_name, COUNT(*) AS n FROM songplays sp %s
		GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT %d`, w, v.top))
	e.topPlayedArtists = pairs(q(`SELECT sp.artist_name, COUNT(*) AS n FROM songplays sp %s GROUP BY 1 ORDER BY n DESC, 1 LIMIT %d`, w, v.top))
	e.locations = pairs(q(`SELECT sp.location, COUNT(*) AS n FROM songplays sp %s GROUP BY 1 ORDER BY n DESC, 1 LIMIT %d`, w, v.top))
	browsers, systems := map[string]int{}, map[string]int{}
	for _, r := range q(`SELECT COALESCE(sp.user_agent, ''), COUNT(*) FROM songplays sp %s GROUP BY 1`, w) {
		n, _ := strconv.Atoi(r[1])
		a := dashboard.ParseAgent(r[0])
		browsers[a.Browser] += n
		systems[a.OS] += n
	}
	for name, n := range browsers {
		e.browsers = append(e.browsers, pair{name, strconv.Itoa(n)})
	}
	for name, n := range systems {
		e.systems = append(e.systems, pair{name, strconv.Itoa(n)})
	}
	// A level period that follows one at the other level is a change on
	// the day it starts; only the days filter it.
	cw := "WHERE TRUE"
	if v.from != "" {
		cw += " AND CAST(cur.valid_from AS DATE) >= DATE '" + v.from + "'"
	}
	if v.to != "" {
		cw += " AND CAST(cur.valid_from AS DATE) <= DATE '" + v.to + "'"
	}
	e.conversions = map[string][2]string{}
	change := map[string]bool{}
	for _, r := range q(`SELECT CAST(CAST(cur.valid_from AS DATE) AS VARCHAR),
			SUM(CASE WHEN cur.level = 'paid' THEN 1 ELSE 0 END), SUM(CASE WHEN cur.level = 'free' THEN 1 ELSE 0 END)
		FROM user_levels cur JOIN user_levels prev
		  ON prev.user_id = cur.user_id AND prev.valid_to = cur.valid_from AND prev.level <> cur.level
		%s GROUP BY 1`, cw) {
		e.conversions[r[0]] = [2]string{r[1], r[2]}
		change[r[0]] = true
	}
	for _, p := range e.perDay {
		change[p.label] = true
	}
	for d := range change {
		e.conversionDays = append(e.conversionDays, d)
	}
	sort.Strings(e.conversionDays)
	for _, r := range q(`SELECT load_id, status, mode, files_loaded, lines_loaded, lines_rejected, COALESCE(summary, '')
		FROM sparkify_runs ORDER BY load_id DESC LIMIT %d`, dashboard.RunsShown) {
		var s struct{ Checks *struct{ Status string } }
		json.Unmarshal([]byte(r[6]), &s)
		checks := "not run"
		if s.Checks != nil {
			checks = s.Checks.Status
		}
		e.runs = append(e.runs, append(r[:6:6], checks))
	}
	e.listening = expectListening(t, dsn, v)
	return e
}

// checkPage checks every chart, the totals and the runs of the page open
// in the browser against what the warehouse says for its view.
func checkPage(t *testing.T, ctx context.Context, e expected) {
	t.Helper()
	kpis, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`["plays", "users", "sessions", "days"].map(k => document.getElementById("kpi-" + k).textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(kpis, "|") != strings.Join(e.kpis, "|") {
		t.Errorf("totals %q, the warehouse says %q", kpis, e.kpis)
	}
	checkBars(t, ctx, "plays-per-day", e.perDay, false)
	checkBars(t, ctx, "plays-by-hour", e.hours, false)
	checkBars(t, ctx, "plays-by-weekday", e.weekdays, false)
	checkPie(t, ctx, "levels", e.levels)
	checkConversions(t, ctx, e.conversionDays, e.conversions)
	checkBars(t, ctx, "top-songs", e.topSongs, true)
	checkBars(t, ctx, "top-artists", e.topArtists, true)
	checkBars(t, ctx, "top-played", e.topPlayed, true)
	checkBars(t, ctx, "top-played-artists", e.topPlayedArtists, true)
	checkBars(t, ctx, "top-locations", e.locations, true)
	checkPie(t, ctx, "browsers", e.browsers)
	checkPie(t, ctx, "systems", e.systems)
	checkListening(t, ctx, e.listening)
	runs, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("#runs tr")).slice(1).map(tr =>
		Array.from(tr.cells).map(td => td.firstChild ? td.firstChild.textContent : ""))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != len(e.runs) {
		t.Fatalf("the page lists %d runs, the warehouse %d", len(runs), len(e.runs))
	}
	for i, r := range runs {
		// load, status, mode, started, seconds, files, loaded, rejected, checks, error
		if len(r) != 10 {
			t.Fatalf("run row %q", r)
		}
		got := []string{r[0], r[1], r[2], r[5], r[6], r[7], r[8]}
		if strings.Join(got, "|") != strings.Join(e.runs[i], "|") {
			t.Errorf("run %q, the warehouse says %q", got, e.runs[i])
		}
	}
}

func TestDashboardBrowserDrawsTheWarehouseAndEscapes(t *testing.T) {
	ctx := browser(t, 1400, 1000)
	dsn, _ := loadedWarehouse(t)
	srv := httptest.NewServer(dashboard.New(dashboard.Options{Open: readOnly(dsn), LoopbackOnly: true}))
	defer srv.Close()
	open := func(query string) {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/"+query),
			chromedp.WaitReady(chromedp.CSS("html[data-charts-ready]")),
		); err != nil {
			t.Fatal(err)
		}
	}

	all := expect(t, dsn, view{top: dashboard.DefaultTop})
	xss := dashboard.SongLabel(xssTitle, xssArtist)
	if len(all.topPlayed) < 2 || all.topPlayed[1].label != xss || len(all.topSongs) < 2 || all.topSongs[0].label != xss {
		t.Fatalf("the XSS song is not second of the songs played and first of the catalog's: %v %v", all.topPlayed, all.topSongs)
	}
	if len(all.listening.churn) == 0 || len(all.listening.sessions) < 3 {
		t.Fatalf("too little to draw: %d days with churn, %d with sessions", len(all.listening.churn), len(all.listening.sessions))
	}
	if len(all.conversions) < 3 || len(all.browsers) < 3 || len(all.systems) < 3 {
		t.Fatalf("too little to draw: %d days with level changes, %d browsers, %d systems", len(all.conversions), len(all.browsers), len(all.systems))
	}
	open("")
	checkPage(t, ctx, all)

	// The hostile title is text: in the chart, in the table, in a tooltip.
	tableText, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#table-top-played")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tableText, xssTitle) || !strings.Contains(tableText, xssArtist) {
		t.Errorf("the table does not show the title as text: %q", tableText)
	}
	tip := `(() => { const c = echarts.getInstanceByDom(document.getElementById("chart-top-played"));
		c.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1}); return true; })()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](tip)); err != nil {
		t.Fatal(err)
	}
	tooltip := `Array.from(document.querySelectorAll("#chart-top-played div")).map(d => d.textContent).join("|")`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](tooltip+`.includes("alert(1)")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("no tooltip with the title: %v", err)
	}
	type state struct {
		Alerts, Errors, CSP []string
		Injected            int
		Tooltip             string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({
		alerts: window.__alerts, errors: window.__errors, csp: window.__csp,
		injected: document.querySelectorAll("img, svg script, body > script:not([src]):not([type])").length +
			document.querySelectorAll("main script:not([type='application/json'])").length,
		tooltip: `+tooltip+`
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Alerts) > 0 || len(got.Errors) > 0 || len(got.CSP) > 0 || got.Injected > 0 {
		t.Errorf("alerts %q, errors %q, CSP violations %q, injected elements %d", got.Alerts, got.Errors, got.CSP, got.Injected)
	}
	if !strings.Contains(got.Tooltip, xssTitle) {
		t.Errorf("the tooltip does not show the title as text: %q", got.Tooltip)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("SPARKIFY_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "dashboard-browser-test.jpg")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d KB)", path, len(shot)/1024)

	// A filtered view, set through the form as a user would: the charts
	// show the paid plays of those days, conversions of those days.
	paid := view{from: "2018-11-15", to: "2018-11-29", level: "paid", top: dashboard.DefaultTop}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`input[name="from"]`), paid.from),
		chromedp.SetValue(chromedp.CSS(`input[name="to"]`), paid.to),
		chromedp.SetValue(chromedp.CSS(`select[name="level"]`), paid.level),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.WaitReady(chromedp.CSS(`html[data-charts-ready] input[name="from"][value="2018-11-15"]`)),
	); err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/?from=2018-11-15&to=2018-11-29&level=paid&top=10") {
		t.Errorf("the form went to %s", loc)
	}
	want := expect(t, dsn, paid)
	if want.kpis[0] == all.kpis[0] || len(want.levels) != 1 || want.perDay[0].label != paid.from || len(want.topSongs) == 0 || len(want.conversions) == 0 {
		t.Fatalf("the filter keeps too much or too little to tell: %v, %d catalog songs, %d days with changes", want.kpis, len(want.topSongs), len(want.conversions))
	}
	checkPage(t, ctx, want)
}

// TestDashboardBrowserOpensTheReport: the self-contained report draws its charts
// from a file, its inline scripts allowed by their hashes alone.
func TestDashboardBrowserOpensTheReport(t *testing.T) {
	ctx := browser(t, 1280, 900)
	dsn, _ := loadedWarehouse(t)
	wh, err := readOnly(dsn)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f := dashboard.Filter{Top: dashboard.DefaultTop}
	d, err := dashboard.Collect(context.Background(), wh.DB(), f)
	wh.Close()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.html")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := dashboard.WriteReport(out, dashboard.Page{Data: d, Filter: f, Warehouse: "test", Generated: time.Now()}); err != nil {
		t.Fatal(err)
	}
	out.Close()
	if err := chromedp.Do(ctx,
		chromedp.Navigate("file://"+path),
		chromedp.WaitReady(chromedp.CSS("html[data-charts-ready]")),
	); err != nil {
		t.Fatal(err)
	}
	checkBars(t, ctx, "top-songs", expect(t, dsn, view{top: dashboard.DefaultTop}).topSongs, true)
	type state struct{ Alerts, Errors, CSP []string }
	got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({alerts: window.__alerts, errors: window.__errors, csp: window.__csp})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Alerts)+len(got.Errors)+len(got.CSP) > 0 {
		t.Errorf("alerts %q, errors %q, CSP violations %q", got.Alerts, got.Errors, got.CSP)
	}
}
