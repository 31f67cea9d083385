package reliability

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// Secrets, each different, so a leak says where it came from.
const (
	pwFile    = "pwFILE-7Qx2-secret"    // dwh.cfg [CLUSTER] DB_PASSWORD
	pwEnv     = "pwENV-3Kz9-secret"     // SPARKIFY_DB_PASSWORD
	pwPG      = "pwPGPASS-8Jt4-secret"  // PGPASSWORD
	pwDSN     = "pwDSN-5Rv1-secret"     // inside a postgres:// DSN
	awsSecret = "awsSECRET-2Wm6-secret" // aws_credentials [AWS] SECRET
)

var secrets = []string{pwFile, pwEnv, pwPG, pwDSN, awsSecret, awsfake.SecretAccessKey}

// leaks names the secrets found in text.
func leaks(text string) []string {
	var out []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestSecretsNeverShown runs every command with passwords in dwh.cfg, the
// environment, aws_credentials and the warehouse DSN, on DuckDB and
// PostgreSQL, and looks for them in stdout, stderr, every file the
// commands wrote (the DuckDB file and its WAL, exports and reports
// included) and every row of the run history tables. 'serve' is asked for
// its page and JSON data, whose answers are searched too; 'watch' loads
// into a fresh warehouse once and is stopped with SIGTERM; the cluster
// verbs run against the fake AWS of internal/awsfake.
func TestSecretsNeverShown(t *testing.T) {
	t.Parallel()
	ds := sampleData(t)
	work := t.TempDir()
	cfg := filepath.Join(work, "dwh.cfg")
	must(t, os.WriteFile(cfg, []byte(fmt.Sprintf(`[CLUSTER]
HOST=127.0.0.1
DB_NAME=dwh
DB_USER=dwhuser
DB_PASSWORD='%s'
DB_PORT=5439
[IAM_ROLE]
ARN=arn:aws:iam::123456789012:role/dwhRole
[S3]
SONG_DATA=%s
LOG_DATA=%s
`, pwFile, ds.songs, ds.root)), 0o600))
	must(t, os.WriteFile(filepath.Join(work, "aws_credentials"), []byte("[AWS]\nKEY=AKIAFAKEFAKEFAKE\nSECRET="+awsSecret+"\nREGION=us-west-2\n"), 0o600))
	bad := filepath.Join(work, "badlogs")
	must(t, os.MkdirAll(bad, 0o755))
	must(t, os.WriteFile(filepath.Join(bad, "bad.json"), []byte("{\"ts\":1}\n"), 0o644))

	fake := awsfake.Start()
	defer fake.Close()
	env := childEnv(t, append(fake.Env(work), "SPARKIFY_DB_PASSWORD="+pwEnv, "PGPASSWORD="+pwPG)...)
	// The fake's own environment sets an AWS secret too; the file's must win or at least never show.
	pgDSN := func() string {
		u, err := url.Parse(testutil.Postgres(t))
		must(t, err)
		u.User = url.UserPassword(u.User.Username(), pwDSN)
		return u.String()
	}
	warehouses := map[string]string{"duckdb": "duckdb:" + filepath.Join(work, "w.duckdb"), "postgres": pgDSN()}
	// Fresh warehouses for 'sparkify watch' to load into.
	watched := map[string]string{"duckdb": "duckdb:" + filepath.Join(work, "watch.duckdb"), "postgres": pgDSN()}

	tried := 0
	// startCmd starts sparkify in work with the config; runCmd runs it to
	// the end and checks its exit code and output.
	startCmd := func(args ...string) *proc {
		t.Helper()
		tried++
		return start(t, env, []string{"env", "-C", work}, append([]string{"--config", cfg}, args...)...)
	}
	checkOutput := func(p *proc, code int, wantCodes []int, args ...string) {
		t.Helper()
		out := p.out.String() + p.stderr()
		if l := leaks(out); len(l) > 0 {
			t.Errorf("sparkify %s shows %v:\n%s", strings.Join(args, " "), l, out)
		}
		if !slices.Contains(wantCodes, code) {
			t.Errorf("sparkify %s: exit %d, want one of %v\n%s", strings.Join(args, " "), code, wantCodes, out)
		}
	}
	runCmd := func(wantCodes []int, args ...string) {
		t.Helper()
		p := startCmd(args...)
		p.stdin.Close()
		checkOutput(p, p.wait(3*time.Minute), wantCodes, args...)
	}
	ok, okOrCheck, fails := []int{0}, []int{0, 3}, []int{1}
	for _, name := range []string{"duckdb", "postgres"} {
		wh := warehouses[name]
		w := []string{"--warehouse", wh}
		// The test server's login is its superuser: the read commands
		// refuse it unless allowed, and then warn (the warning too must
		// show no secret).
		r := w
		if name == "postgres" {
			r = append([]string{"--allow-privileged"}, w...)
		}
		runCmd(ok, append([]string{"schema"}, w...)...)
		runCmd(okOrCheck, append([]string{"etl"}, w...)...) // sources from dwh.cfg [S3]
		runCmd(fails, append([]string{"etl", "--logs", bad}, w...)...)
		runCmd(ok, append([]string{"sql", "SELECT COUNT(*) FROM songplays"}, r...)...)
		runCmd(ok, append([]string{"query", "top-songs"}, r...)...)
		runCmd(ok, append([]string{"query", "--list"}, r...)...)
		runCmd(ok, append([]string{"runs"}, r...)...)
		runCmd(ok, append([]string{"runs", "--json"}, r...)...)
		runCmd(ok, append([]string{"runs", "--rejects"}, r...)...)
		runCmd(okOrCheck, append([]string{"check"}, r...)...)
		runCmd(okOrCheck, append([]string{"check", "--json"}, r...)...)
		runCmd(ok, append([]string{"report", "--out", "report-" + name + ".html"}, r...)...)
		var user string
		withWarehouse(t, wh, func(wh warehouse.Warehouse) {
			if u := queryStrings(t, wh.DB(), "SELECT MIN(user_id) FROM user_levels"); len(u) == 1 && u[0] != "NULL" {
				user = u[0]
			}
		})
		if user == "" {
			t.Fatalf("%s: no user in user_levels for 'query level-history'", name)
		}
		runCmd(ok, append([]string{"query", "level-history", user}, r...)...)
		runCmd(ok, append([]string{"export", "--out", "export-" + name}, w...)...)
		runCmd(okOrCheck, append([]string{"demo", "--data", filepath.Join(work, "demo")}, w...)...)
		serveSecrets(t, startCmd(append([]string{"serve", "--addr", "127.0.0.1:0"}, r...)...), checkOutput)
		watchSecrets(t, startCmd("watch", "--interval", "1s", "--warehouse", watched[name]), checkOutput)
	}
	runCmd(ok, "generate", "--out", filepath.Join(work, "gen"), "--songs", "5", "--days", "1", "--events-per-day", "20")
	// Warehouses that cannot be reached or parsed: the DSN is echoed in errors.
	runCmd(fails, "runs", "--warehouse", "postgres://dwhuser:"+pwDSN+"@127.0.0.1:1/dwh?sslmode=disable&connect_timeout=5")
	runCmd(fails, "etl", "--warehouse", "postgres://dwhuser:"+pwDSN+"@127.0.0.1:notaport/dwh")
	runCmd(fails, "sql", "SELECT 1", "--warehouse", "redshift") // dwh.cfg's HOST, 127.0.0.1: refused
	// The cluster verbs, against the fake AWS (fake.Env points the SDK at
	// it); last, as 'up' writes the new cluster's HOST into dwh.cfg.
	poll := []string{"--poll-interval", "1ms"}
	runCmd(ok, "cluster", "up", "--dry-run")
	runCmd([]int{1}, "cluster", "status") // 1: no cluster in the fake yet
	runCmd(ok, append([]string{"cluster", "up", "--wait"}, poll...)...)
	runCmd(ok, "cluster", "status")
	runCmd(ok, "cluster", "status", "--json")
	runCmd(ok, "cluster", "down", "--dry-run", "--yes")
	runCmd(ok, append([]string{"cluster", "down", "--yes"}, poll...)...)
	runCmd([]int{1}, "cluster", "status") // 1: the cluster is gone
	report(t, "secrets: %d commands run with passwords in the config, environment, aws_credentials and DSN; none shown in output, HTTP answers, files or run history", tried)

	// Every file the commands wrote, but the two that hold the secrets.
	filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == cfg || filepath.Base(p) == "aws_credentials" {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil {
			if l := leaks(string(data)); len(l) > 0 {
				t.Errorf("%s holds %v", p, l)
			}
		}
		return nil
	})
	for name, dsn := range watched {
		warehouses[name+" (watched)"] = dsn
	}
	for name, dsn := range warehouses {
		withWarehouse(t, dsn, func(wh warehouse.Warehouse) {
			for _, table := range []string{"sparkify_runs", "sparkify_rejects", "sparkify_checks", "sparkify_files"} {
				res, err := warehouse.Query(context.Background(), wh.DB(), "SELECT * FROM "+table)
				if err != nil {
					t.Fatalf("%s %s: %v", name, table, err)
				}
				if len(res.Rows) == 0 && table == "sparkify_runs" {
					t.Errorf("%s: no run history to search", name)
				}
				for _, row := range res.Rows {
					if l := leaks(fmt.Sprint(row)); len(l) > 0 {
						t.Errorf("%s %s holds %v: %v", name, table, l, row)
					}
				}
			}
		})
	}
}

// serveSecrets waits for 'sparkify serve' to listen, asks it for the
// dashboard page and its JSON data, looks for secrets in the answers, and
// stops it with SIGTERM.
func serveSecrets(t *testing.T, p *proc, check func(p *proc, code int, wantCodes []int, args ...string)) {
	t.Helper()
	addr := p.waitOut(regexp.MustCompile(`on http://(127\.0\.0\.1:[0-9]+)/`), 2*time.Minute)[1]
	for _, path := range []string{"/", "/api/data"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("serve: GET %s: %v", path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		must(t, err)
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("serve: GET %s: %s, %d bytes:\n%s", path, resp.Status, len(body), short(string(body)))
		}
		var headers strings.Builder
		resp.Header.Write(&headers)
		if l := leaks(headers.String() + string(body)); len(l) > 0 {
			t.Errorf("serve: GET %s shows %v", path, l)
		}
	}
	check(p, p.terminate(time.Minute), []int{0}, "serve")
}

// watchSecrets waits for 'sparkify watch' to log its first load, stops it
// with SIGTERM and checks what it printed.
func watchSecrets(t *testing.T, p *proc, check func(p *proc, code int, wantCodes []int, args ...string)) {
	t.Helper()
	p.waitOut(regexp.MustCompile(`(?m) load [0-9]+ succeeded: [0-9]+ files`), 3*time.Minute)
	code := p.terminate(time.Minute)
	check(p, code, []int{0}, "watch")
	if !strings.Contains(p.out.String(), " stopped") {
		t.Errorf("watch did not say it stopped after SIGTERM:\n%s%s", p.out.String(), p.stderr())
	}
}

// TestSecretInBrokenConfigLine is a leak this suite found: when the
// password line of dwh.cfg does not parse (an unclosed triple quote),
// gopkg.in/ini quotes the rest of the line in its error and config.Load
// passes that on, so 'sparkify' prints the password:
//
//	error: dwh.cfg: missing closing key quote from "\"\"\"pwFILE-...\n" to ""
//
// The fix belongs in internal/config (readCfgFile/readCredentialsFile
// should not pass ini's text on), outside this suite's paths.
func TestSecretInBrokenConfigLine(t *testing.T) {
	work := t.TempDir()
	cfg := filepath.Join(work, "dwh.cfg")
	must(t, os.WriteFile(cfg, []byte("[CLUSTER]\nDB_PASSWORD=\"\"\""+pwFile+"\n"), 0o600))
	out, errOut, code := run(t, childEnv(t), "runs", "--config", cfg, "--warehouse", "duckdb:"+filepath.Join(work, "w.duckdb"))
	if code == 0 {
		t.Errorf("a broken dwh.cfg was accepted")
	}
	if l := leaks(out + errOut); len(l) > 0 {
		t.Errorf("shows %v:\n%s", l, errOut)
	}
}
