package reliability

import (
	"bufio"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pgServer is a PostgreSQL server of this test's own, started with
// scripts/postgres.sh so it can be stopped and started again.
type pgServer struct {
	dir, data, bin, dsn, port string
}

// startPostgres starts a dedicated server, or skips the test when the
// PostgreSQL binaries are missing (failing under SPARKIFY_REQUIRE_POSTGRES).
func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	script, _ := filepath.Abs(filepath.Join("..", "..", "scripts", "postgres.sh"))
	dir, err := os.MkdirTemp("", "sparkify-reliability-pg-")
	must(t, err)
	s := &pgServer{dir: dir}
	t.Cleanup(func() { exec.Command(script, "stop", dir).Run(); os.RemoveAll(dir) })
	out, err := exec.Command(script, "start", dir).Output()
	if err != nil {
		if os.Getenv("SPARKIFY_REQUIRE_POSTGRES") == "" {
			t.Skipf("cannot start a dedicated PostgreSQL with scripts/postgres.sh: %v", err)
		}
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("scripts/postgres.sh start: %v\n%s%s", err, out, stderr)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		k, v, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		v = strings.Trim(v, "'")
		switch k {
		case "SPARKIFY_TEST_POSTGRES":
			s.dsn = v
		case "SPARKIFY_TEST_PGDATA":
			s.data = v
		case "SPARKIFY_TEST_PGBIN":
			s.bin = v
		}
	}
	u, err := url.Parse(s.dsn)
	if err != nil || s.data == "" || s.bin == "" {
		t.Fatalf("unexpected output of scripts/postgres.sh:\n%s", out)
	}
	s.port = u.Port()
	// The throwaway server commits asynchronously for speed; a crash may
	// then lose the last commits, which is PostgreSQL's documented
	// trade-off and not what these tests are about. Sessions of this
	// server commit durably (a role setting outranks the command line).
	psql := filepath.Join(s.bin, "psql")
	if out, err := exec.Command(psql, s.dsn, "-c", "ALTER ROLE CURRENT_USER SET synchronous_commit = on").CombinedOutput(); err != nil {
		t.Fatalf("make commits durable: %v\n%s", err, out)
	}
	return s
}

// pgctl runs pg_ctl as the owner of the data folder.
func (s *pgServer) pgctl(t *testing.T, args ...string) {
	t.Helper()
	cmd := filepath.Join(s.bin, "pg_ctl") + " -D '" + s.data + "' " + strings.Join(args, " ")
	var c *exec.Cmd
	if os.Geteuid() == 0 {
		c = exec.Command("su", "postgres", "-s", "/bin/sh", "-c", cmd)
	} else {
		c = exec.Command("sh", "-c", cmd)
	}
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// stop stops the server the hard way: no checkpoint, clients cut off.
func (s *pgServer) stop(t *testing.T) { s.pgctl(t, "-m", "immediate", "stop") }

// start starts it again as scripts/postgres.sh did (crash recovery runs).
func (s *pgServer) start(t *testing.T) {
	s.pgctl(t, "-l", "'"+s.dir+"/server.log'", "-w", "-t", "60",
		`-o "-c listen_addresses=127.0.0.1 -p `+s.port+` -k '`+s.dir+`' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"`, "start")
}

// TestPostgresStoppedMidLoad stops the server (pg_ctl -m immediate) while
// a load is held after staging, lets the load go on into the dead
// connection (it must fail naming the load and the lost connection),
// restarts the server, checks the earlier load is intact, and reruns.
func TestPostgresStoppedMidLoad(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	ref := reference(t, allEngines[1], ds)
	srv := startPostgres(t)
	for _, step := range []string{"staged", "commit"} {
		t.Run(step, func(t *testing.T) {
			dsn := srv.dsn
			if step != "staged" {
				dsn = srvSchema(t, srv, "s_"+step)
			}
			h := loadHalf(t, dsn, ds)
			p := start(t, childEnv(t, "SPARKIFY_TEST_PAUSE="+step), nil, etlArgs(ds, h.logs, dsn)...)
			p.waitFor("paused at "+step, 3*time.Minute)
			srv.stop(t)
			p.resume()
			code := p.wait(2 * time.Minute)
			// Which load failed, and that it was the connection to the
			// server that broke (today: "driver: bad connection").
			failedClearly(t, "server stopped", code, p.stderr(), "load 2", "connection")
			t.Logf("server stopped at %s: %s", step, firstErrorLine(p.stderr()))
			srv.start(t)
			sameStar(t, "after the restart", dumpDSN(t, dsn), h.base)
			mustRun(t, childEnv(t), etlArgs(ds, h.logs, dsn)...)
			sameStar(t, "after the rerun", dumpDSN(t, dsn), ref.star)
			checkNotDoubled(t, dsn, ds, 2)
		})
	}
}

// srvSchema creates a schema in the dedicated server and returns a DSN
// that loads into it.
func srvSchema(t *testing.T, srv *pgServer, name string) string {
	t.Helper()
	psql := filepath.Join(srv.bin, "psql")
	if out, err := exec.Command(psql, srv.dsn, "-c", "CREATE SCHEMA "+name).CombinedOutput(); err != nil {
		t.Fatalf("create schema: %v\n%s", err, out)
	}
	u, _ := url.Parse(srv.dsn)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
