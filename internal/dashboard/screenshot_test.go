package dashboard_test

import (
	"context"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sparkify/sparkify/internal/cli"
	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/iostreams"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// TestDashboardScreenshotForDocs writes the README's picture of the
// dashboard to the PNG file SPARKIFY_DASHBOARD_PNG names: the whole page,
// every chart and the runs, of the data set 'sparkify demo' generates and
// loads (with its data-quality checks):
//
//	SPARKIFY_DASHBOARD_PNG=$PWD/docs/dashboard.png go test ./internal/dashboard -run ScreenshotForDocs
func TestDashboardScreenshotForDocs(t *testing.T) {
	out := os.Getenv("SPARKIFY_DASHBOARD_PNG")
	if out == "" {
		t.Skip("set SPARKIFY_DASHBOARD_PNG to write the docs screenshot")
	}
	ctx := browser(t, 1280, 900)
	dir := t.TempDir()
	dsn := "duckdb:" + filepath.Join(dir, "sparkify.duckdb")
	streams, _, stdout, stderr := iostreams.Test()
	f := cli.NewFactory(streams, func(string) string { return "" })
	if code := cli.Execute(context.Background(), f, []string{"demo", "--data", filepath.Join(dir, "demo"), "--warehouse", dsn}); code != 0 {
		t.Fatalf("sparkify demo: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Named as a user's default warehouse, not the temporary path.
	open := func(ctx context.Context) (warehouse.Warehouse, error) {
		wh, err := readOnly(dsn)(ctx)
		return named{wh}, err
	}
	srv := httptest.NewServer(dashboard.New(dashboard.Options{Open: open}))
	defer srv.Close()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitReady(chromedp.CSS("html[data-charts-ready]")),
		chromedp.WaitVisible(chromedp.CSS("#runs")),
	); err != nil {
		t.Fatal(err)
	}
	// What the picture shows is what the warehouse holds, every label
	// whole.
	checkPage(t, ctx, expect(t, dsn, view{top: dashboard.DefaultTop}))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.DecodeConfig(strings.NewReader(string(shot)))
	if err != nil {
		t.Fatal(err)
	}
	height, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollHeight`))
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 1280 || float64(img.Height) < height {
		t.Errorf("the picture is %dx%d, the page 1280x%.0f", img.Width, img.Height, height)
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%dx%d, %d KB)", out, img.Width, img.Height, len(shot)/1024)
}

type named struct{ warehouse.Warehouse }

func (named) String() string { return "duckdb:sparkify.duckdb" }
