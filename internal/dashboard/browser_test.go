package dashboard_test

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/dashboard"
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
}

// chartTexts reads every text echarts drew (SVG renderer) in a chart.
func chartTexts(t *testing.T, ctx context.Context, id string) []svgText {
	t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll("#chart-%s svg text")).map(e => {
		const r = e.getBoundingClientRect();
		return {text: e.textContent, x: r.x + r.width / 2, y: r.y + r.height / 2};
	})`, id)
	texts, err := chromedp.Run(ctx, chromedp.Evaluate[[]svgText](js))
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) == 0 {
		t.Fatalf("chart %s drew no text", id)
	}
	return texts
}

// checkBars checks that each category label is drawn with its value
// beside it: on the same row for a ranking (horizontal), in the same
// column for columns (vertical).
func checkBars(t *testing.T, ctx context.Context, id string, want [][2]string, horizontal bool) {
	t.Helper()
	texts := chartTexts(t, ctx, id)
	for _, w := range want {
		if find(texts, w[0]) == nil {
			t.Errorf("%s: no label %q among %v", id, w[0], texts)
			continue
		}
		found := false
		for _, label := range texts {
			for _, v := range texts {
				if label.Text != w[0] || v.Text != w[1] || v == label {
					continue
				}
				if horizontal && math.Abs(v.Y-label.Y) < 3 && v.X > label.X || !horizontal && math.Abs(v.X-label.X) < 3 && v.Y < label.Y {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: %q is not drawn with the value %s", id, w[0], w[1])
		}
	}
}

func find(texts []svgText, s string) *svgText {
	for i := range texts {
		if texts[i].Text == s {
			return &texts[i]
		}
	}
	return nil
}

func TestBrowserDrawsTheWarehouseAndEscapes(t *testing.T) {
	ctx := browser(t, 1400, 1000)
	dsn, _ := loadedWarehouse(t)
	srv := httptest.NewServer(dashboard.New(dashboard.Options{Open: readOnly(dsn), LoopbackOnly: true}))
	defer srv.Close()

	// What the warehouse answers to the charts' own queries.
	args := analytics.Args{Limit: dashboard.DefaultTop}
	pairs := func(rows [][]string, label func([]string) string, value int) [][2]string {
		var out [][2]string
		for _, r := range rows {
			out = append(out, [2]string{label(r), r[value]})
		}
		return out
	}
	song := func(r []string) string { return dashboard.SongLabel(r[0], r[1]) }
	first := func(r []string) string { return r[0] }
	topPlayed := pairs(ask(t, dsn, "top-played", args), song, 2)
	topSongs := pairs(ask(t, dsn, "top-songs", args), song, 2)
	topArtists := pairs(ask(t, dsn, "top-artists", args), first, 1)
	locations := pairs(ask(t, dsn, "top-locations", args), first, 1)
	hours := pairs(ask(t, dsn, "plays-by-hour", args), first, 1)
	weekdays := pairs(ask(t, dsn, "plays-by-weekday", args), func(r []string) string {
		n, _ := strconv.Atoi(r[0])
		return dashboard.Weekdays[n]
	}, 1)
	levels := ask(t, dsn, "level-split", args)
	xss := dashboard.SongLabel(xssTitle, xssArtist)
	if topPlayed[1][0] != xss || topSongs[0][0] != xss {
		t.Fatalf("the XSS song is not second of the songs played and first of the catalog's: %v %v", topPlayed, topSongs)
	}

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitReady(chromedp.CSS("html[data-charts-ready]")),
	); err != nil {
		t.Fatal(err)
	}
	checkBars(t, ctx, "top-played", topPlayed, true)
	checkBars(t, ctx, "top-songs", topSongs, true)
	checkBars(t, ctx, "top-artists", topArtists, true)
	checkBars(t, ctx, "top-locations", locations, true)
	checkBars(t, ctx, "plays-by-hour", hours, false)
	checkBars(t, ctx, "plays-by-weekday", weekdays, false)
	pie := chartTexts(t, ctx, "levels")
	for _, r := range levels {
		prefix := r[0] + ": " + r[1] + " ("
		ok := false
		for _, p := range pie {
			ok = ok || strings.HasPrefix(p.Text, prefix)
		}
		if !ok {
			t.Errorf("levels: no slice label %q... among %v", prefix, pie)
		}
	}

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
	time.Sleep(300 * time.Millisecond)
	type state struct {
		Alerts, Errors, CSP []string
		Injected            int
		Tooltip             string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({
		alerts: window.__alerts, errors: window.__errors, csp: window.__csp,
		injected: document.querySelectorAll("img, svg script, body > script:not([src]):not([type])").length +
			document.querySelectorAll("main script:not([type='application/json'])").length,
		tooltip: Array.from(document.querySelectorAll("#chart-top-played div")).map(d => d.textContent).join("|")
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
}

// TestBrowserOpensTheReport: the self-contained report draws its charts
// from a file, its inline scripts allowed by their hashes alone.
func TestBrowserOpensTheReport(t *testing.T) {
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
	checkBars(t, ctx, "top-songs", [][2]string{{dashboard.SongLabel(xssTitle, xssArtist), strconv.Itoa(xssPlays)}}, true)
	type state struct{ Alerts, Errors, CSP []string }
	got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({alerts: window.__alerts, errors: window.__errors, csp: window.__csp})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Alerts)+len(got.Errors)+len(got.CSP) > 0 {
		t.Errorf("alerts %q, errors %q, CSP violations %q", got.Alerts, got.Errors, got.CSP)
	}
}
