package cli

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/iostreams"
)

func TestServeRefusesRemoteAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.0.2.1:8080", "example.com:80"} {
		r := runCLI(t, nil, "serve", "--addr", addr, "--warehouse", "duckdb::memory:")
		if r.code != ExitUsage || !strings.Contains(r.err, "--allow-remote") {
			t.Errorf("--addr %s: exit %d %q", addr, r.code, r.err)
		}
	}
	if r := runCLI(t, nil, "serve", "--addr", "nonsense"); r.code != ExitUsage {
		t.Errorf("--addr nonsense: exit %d", r.code)
	}
	for _, addr := range []string{"127.0.0.1:8080", "localhost:1", "[::1]:8080"} {
		if err := checkServeAddr(addr, false); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
	if err := checkServeAddr("0.0.0.0:8080", true); err != nil {
		t.Errorf("--allow-remote: %v", err)
	}
}

func TestServeMissingWarehouse(t *testing.T) {
	r := runCLI(t, nil, append([]string{"serve", "--addr", "127.0.0.1:0"}, tempWarehouse(t)...)...)
	if r.code == 0 {
		t.Fatalf("serve on a missing DuckDB file: exit 0 %q", r.out)
	}
}

// TestServeReadsAndLetsLoadsIn: serve answers from the loaded warehouse,
// and a load into the same DuckDB file succeeds while it runs.
func TestServeReadsAndLetsLoadsIn(t *testing.T) {
	wh := loadedWarehouse(t)
	streams, _, _, errOut := iostreams.Test()
	f := NewFactory(streams, func(string) string { return "" })
	f.Flags.Warehouse = wh[1]
	addrs := make(chan net.Addr, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, f, &ServeOptions{Addr: "127.0.0.1:0", LockWait: 5 * time.Second, onListen: func(a net.Addr) { addrs <- a }})
	}()
	var base string
	select {
	case a := <-addrs:
		base = "http://" + a.String()
	case err := <-done:
		t.Fatalf("serve: %v %s", err, errOut)
	}
	page := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := page("/"); code != 200 || !strings.Contains(body, `<b id="kpi-plays">6820</b>`) {
		t.Fatalf("GET /: %d %.300s", code, body)
	}
	if code, _ := page("/?level=gold"); code != 400 {
		t.Errorf("bad level: %d", code)
	}
	// The file is free between requests: a full reload goes through.
	if r := runCLI(t, nil, append(append([]string{"etl", "-q", "--full-refresh"}, sampleArgs(t)...), wh...)...); r.code != 0 {
		t.Fatalf("etl while serving: %d %s", r.code, r.err)
	}
	if _, body := page("/api/data"); !strings.Contains(body, `"load_id": 2`) {
		t.Errorf("the second load is not on the dashboard: %.300s", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

func TestServeOpensReadOnly(t *testing.T) {
	wh := loadedWarehouse(t)
	streams, _, _, _ := iostreams.Test()
	f := NewFactory(streams, func(string) string { return "" })
	f.Flags.Warehouse = wh[1]
	open, _, err := readOnlyOpener(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	w, err := open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.DB().Exec("DELETE FROM songplays"); err == nil {
		t.Error("the dashboard's warehouse accepted a DELETE")
	}
}
