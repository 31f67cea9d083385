package reliability

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/cli"
)

// TestLoadsBesideTheDashboard runs loads while 'sparkify serve' answers
// page after page on the same DuckDB file, as fast as it can: the
// dashboard holds the file for a request at a time, and a load that meets
// it waits its turn instead of failing. Every load must succeed (before,
// with a page every 1.3 s, one load in two exited 4, naming serve's PID as
// "another sparkify load"), and the dashboard must keep answering.
func TestLoadsBesideTheDashboard(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	dsn := duckdbFile(t)
	logs := filepath.Join(t.TempDir(), "logs")
	steps := 3
	per := len(ds.logs) / steps
	ds.linkLogs(t, logs, 0, per)
	mustRun(t, childEnv(t), etlArgs(ds, logs, dsn)...)

	srv := start(t, childEnv(t), nil, "serve", "--warehouse", dsn, "--addr", "127.0.0.1:0")
	srv.stdin.Close()
	addr := srv.waitOut(regexp.MustCompile(`on http://(127\.0\.0\.1:[0-9]+)/`), 2*time.Minute)[1]

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	answers := map[int]int{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/api/data", nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			answers[resp.StatusCode]++
			mu.Unlock()
		}
	}()
	for i := 1; i < steps; i++ {
		to := (i + 1) * per
		if i == steps-1 {
			to = len(ds.logs)
		}
		ds.linkLogs(t, logs, i*per, to)
		out, errOut, code := run(t, childEnv(t), etlArgs(ds, logs, dsn)...)
		if code != 0 {
			t.Errorf("load %d beside the dashboard: exit %d\n%s%s", i+1, code, out, errOut)
		}
	}
	stop()
	wg.Wait()
	if code := srv.terminate(time.Minute); code != 0 {
		t.Errorf("serve: exit %d\n%s", code, srv.stderr())
	}
	if answers[http.StatusOK] == 0 {
		t.Errorf("the dashboard answered no page during the loads: %v", answers)
	}
	sameStar(t, "after the loads beside the dashboard", dumpDSN(t, dsn), reference(t, allEngines[0], ds).star)
	report(t, "dashboard: %d loads on duckdb while serve answered pages (%v by status), every load committed", steps-1, answers)
}

// TestBusyMessageNamesTheHolder holds a load at its staged step and
// starts another on the same warehouse: the refusal names the holder as a
// load with its PID (DuckDB from the file lock's PID and /proc, PostgreSQL
// from the lock holder's application_name).
func TestBusyMessageNamesTheHolder(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			logs := filepath.Join(t.TempDir(), "logs")
			ds.linkLogs(t, logs, 0, len(ds.logs))
			first := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE=staged"), nil, etlArgs(ds, logs, dsn)...)
			first.waitFor("paused at staged", 3*time.Minute)
			_, errOut, code := run(t, childEnv(t), etlArgs(ds, logs, dsn)...)
			want := fmt.Sprintf("sparkify etl (PID %d)", first.cmd.Process.Pid)
			if code != cli.ExitLocked || !strings.Contains(errOut, want) || !strings.Contains(errOut, "another sparkify load is running") {
				t.Errorf("second load: exit %d (want %d), message should name %q:\n%s", code, cli.ExitLocked, want, errOut)
			}
			first.resume()
			if code := first.wait(3 * time.Minute); code != 0 {
				t.Fatalf("first load: exit %d\n%s", code, first.stderr())
			}
		})
	}
}
