package dashboard_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestScreenshotForDocs writes the README's picture of the dashboard (the
// real sample, nothing added) to the PNG file SPARKIFY_DASHBOARD_PNG names:
//
//	SPARKIFY_DASHBOARD_PNG=$PWD/docs/dashboard.png go test ./internal/dashboard -run ScreenshotForDocs
func TestScreenshotForDocs(t *testing.T) {
	out := os.Getenv("SPARKIFY_DASHBOARD_PNG")
	if out == "" {
		t.Skip("set SPARKIFY_DASHBOARD_PNG to write the docs screenshot")
	}
	ctx := browser(t, 1280, 2200)
	dsn := "duckdb:" + filepath.Join(t.TempDir(), "w.duckdb")
	wh, err := duckdb.Open(context.Background(), dsn, warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	warehousetest.Load(t, wh, warehousetest.CopySample(t, 0))
	wh.Close()
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
	); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d KB)", out, len(png)/1024)
}

type named struct{ warehouse.Warehouse }

func (named) String() string { return "duckdb:sparkify.duckdb" }
