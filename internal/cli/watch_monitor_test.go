package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/iostreams"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
	"github.com/sparkify/sparkify/internal/watch"
)

// nonEmptyLines counts the lines of data that hold something.
func nonEmptyLines(data []byte) int64 {
	var n int64
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// rawLines counts the non-empty lines of the .json files under dir.
func rawLines(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	warehousetest.WalkJSON(t, dir, func(_ string, data []byte) { n += nonEmptyLines(data) })
	return n
}

// getURL fetches a URL and returns its status and body.
func getURL(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestWatchMetricsHealthAndJSONLog runs watch with --metrics-addr and
// --log-format json over a copy of the sample, waits (on poll events) until
// every line of the files is accounted for, and checks the scraped metrics
// against the files, /healthz, and that every log line is a JSON object.
func TestWatchMetricsHealthAndJSONLog(t *testing.T) {
	data := warehousetest.CopySample(t, 2)
	want := map[string]int64{"song": rawLines(t, data.Songs), "log": rawLines(t, data.Logs)}

	io, _, out, errOut := iostreams.Test()
	f := NewFactory(io, func(string) string { return "" })
	f.Flags.Warehouse = tempWarehouse(t)[1]
	addrs := make(chan net.Addr, 1)
	events := make(chan watch.Event, 1000)
	opts := &WatchOptions{
		Songs: data.Songs, Logs: data.Logs, Interval: 100 * time.Millisecond,
		MetricsAddr: "127.0.0.1:0", LogFormat: "json", NoCheck: true,
		onListen: func(a net.Addr) { addrs <- a },
		onPoll:   func(ev watch.Event) { events <- ev },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runWatch(ctx, f, opts) }()
	defer func() { cancel(); <-done; f.Close() }()

	var base string
	select {
	case a := <-addrs:
		base = "http://" + a.String()
	case err := <-done:
		t.Fatalf("watch ended: %v\n%s", err, errOut.String())
	}
	// Every line is either loaded or rejected once the files are loaded.
	seen := map[string]int64{}
	timeout := time.After(60 * time.Second) // a guard against a hang, not a timing assertion
	for seen["song"] < want["song"] || seen["log"] < want["log"] {
		select {
		case ev := <-events:
			if ev.Err != nil {
				t.Fatalf("poll failed: %v", ev.Err)
			}
			if ev.Result != nil {
				for _, s := range ev.Result.Sources {
					seen[s.Kind] += s.LinesLoaded + s.LinesRejected
				}
			}
		case <-timeout:
			t.Fatalf("lines accounted for %v, want %v", seen, want)
		}
	}

	code, body := getURL(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	metrics := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			i := strings.LastIndexByte(line, ' ')
			metrics[line[:i]], _ = strconv.ParseFloat(line[i+1:], 64)
		}
	}
	for kind, n := range want {
		loaded := metrics[`sparkify_lines_loaded_total{kind="`+kind+`"}`]
		rejected := metrics[`sparkify_lines_rejected_total{kind="`+kind+`"}`]
		if loaded == 0 || int64(loaded+rejected) != n {
			t.Errorf("%s: %v loaded + %v rejected, the files hold %d lines", kind, loaded, rejected, n)
		}
	}
	if metrics[`sparkify_loads_total{status="succeeded"}`] < 1 || metrics["sparkify_last_success_timestamp_seconds"] == 0 ||
		metrics["sparkify_load_duration_seconds_count"] < 1 {
		t.Errorf("metrics:\n%s", body)
	}
	if code, body := getURL(t, base+"/healthz"); code != 200 || !strings.HasPrefix(body, "ok") {
		t.Errorf("/healthz: %d %q", code, body)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done <- nil // for the deferred receive
	var msgs []string
	var loadedLogged int64
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON object: %q", line)
		}
		msgs = append(msgs, rec["msg"].(string))
		if rec["msg"] == "load" {
			loadedLogged += int64(rec["lines_loaded"].(float64))
		}
	}
	if msgs[0] != "watching" || msgs[len(msgs)-1] != "stopped" ||
		float64(loadedLogged) != metrics[`sparkify_lines_loaded_total{kind="song"}`]+metrics[`sparkify_lines_loaded_total{kind="log"}`] {
		t.Errorf("log events %v, lines loaded logged %d", msgs, loadedLogged)
	}
}

func TestWatchMetricsAddrIsLocalUnlessAllowed(t *testing.T) {
	r := runCLI(t, nil, append([]string{"watch", "--logs", t.TempDir(), "--metrics-addr", "0.0.0.0:9464"}, tempWarehouse(t)...)...)
	if r.code != ExitUsage || !strings.Contains(r.err, "--allow-remote") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
	r = runCLI(t, nil, append([]string{"watch", "--logs", t.TempDir(), "--log-format", "xml"}, tempWarehouse(t)...)...)
	if r.code != ExitUsage || !strings.Contains(r.err, "--log-format") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
}
