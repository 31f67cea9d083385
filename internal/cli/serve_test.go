package cli

import (
	"context"
	"fmt"
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
	addr, _, stop := startServe(t, wh[1], &ServeOptions{Addr: "127.0.0.1:0", LockWait: 5 * time.Second})
	base := "http://" + addr.String()
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
	if err := stop(); err != nil {
		t.Errorf("serve: %v", err)
	}
}

// startServe runs serve on warehouse dsn until stop is called, and
// returns the address it listens on and its standard output.
func startServe(t *testing.T, dsn string, opts *ServeOptions) (addr net.Addr, out fmt.Stringer, stop func() error) {
	t.Helper()
	streams, _, stdout, errOut := iostreams.Test()
	f := NewFactory(streams, func(string) string { return "" })
	f.Flags.Warehouse = dsn
	addrs := make(chan net.Addr, 1)
	opts.onListen = func(a net.Addr) { addrs <- a }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, f, opts) }()
	select {
	case addr = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v %s", err, errOut)
	}
	return addr, stdout, func() error {
		cancel()
		return <-done
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

func TestServeListenAddrAsGiven(t *testing.T) {
	for _, c := range []struct {
		given  string
		actual net.Addr
		want   string
	}{
		{"0.0.0.0:8080", &net.TCPAddr{IP: net.IPv6zero, Port: 8080}, "0.0.0.0:8080"},
		{"0.0.0.0:0", &net.TCPAddr{IP: net.IPv6zero, Port: 41234}, "0.0.0.0:41234"},
		{":8080", &net.TCPAddr{IP: net.IPv6zero, Port: 8080}, "0.0.0.0:8080"},
		{"localhost:9000", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000}, "localhost:9000"},
		{"[::1]:0", &net.TCPAddr{IP: net.IPv6loopback, Port: 5555}, "[::1]:5555"},
		{"192.0.2.1:http", &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 80}, "192.0.2.1:80"},
	} {
		if got := listenAddr(c.given, c.actual); got != c.want {
			t.Errorf("listenAddr(%q, %v) = %q, want %q", c.given, c.actual, got, c.want)
		}
	}
}

// TestServeAllowRemotePrintsGivenAddress: serve on 0.0.0.0 says
// http://0.0.0.0:<port>/, the address given, not the [::] it listens on.
func TestServeAllowRemotePrintsGivenAddress(t *testing.T) {
	wh := tempWarehouse(t)
	if r := runCLI(t, nil, append([]string{"schema"}, wh...)...); r.code != 0 {
		t.Fatalf("schema: %s", r.err)
	}
	addr, out, stop := startServe(t, wh[1], &ServeOptions{Addr: "0.0.0.0:0", AllowRemote: true, LockWait: time.Second})
	port := addr.(*net.TCPAddr).Port
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	want := fmt.Sprintf("http://0.0.0.0:%d/", port)
	if !strings.Contains(out.String(), want) || strings.Contains(out.String(), "[::]") {
		t.Errorf("serve printed %q, want the address %s", out.String(), want)
	}
}
