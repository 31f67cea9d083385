package reliability

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
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
// commands wrote (the DuckDB file and its WAL included) and every row of
// the run history tables.
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

	tried := 0
	runCmd := func(wantCodes []int, args ...string) {
		t.Helper()
		tried++
		p := start(t, env, []string{"env", "-C", work}, append([]string{"--config", cfg}, args...)...)
		p.stdin.Close()
		code := p.wait(3 * time.Minute)
		out := p.out.String() + p.stderr()
		if l := leaks(out); len(l) > 0 {
			t.Errorf("sparkify %s shows %v:\n%s", strings.Join(args, " "), l, out)
		}
		if !slices.Contains(wantCodes, code) {
			t.Errorf("sparkify %s: exit %d, want one of %v\n%s", strings.Join(args, " "), code, wantCodes, out)
		}
	}
	ok, okOrCheck, fails := []int{0}, []int{0, 3}, []int{1}
	for _, name := range []string{"duckdb", "postgres"} {
		wh := warehouses[name]
		w := []string{"--warehouse", wh}
		runCmd(ok, append([]string{"schema"}, w...)...)
		runCmd(okOrCheck, append([]string{"etl"}, w...)...) // sources from dwh.cfg [S3]
		runCmd(fails, append([]string{"etl", "--logs", bad}, w...)...)
		runCmd(ok, append([]string{"sql", "SELECT COUNT(*) FROM songplays"}, w...)...)
		runCmd(ok, append([]string{"query", "top-songs"}, w...)...)
		runCmd(ok, append([]string{"query", "--list"}, w...)...)
		runCmd(ok, append([]string{"runs"}, w...)...)
		runCmd(ok, append([]string{"runs", "--json"}, w...)...)
		runCmd(ok, append([]string{"runs", "--rejects"}, w...)...)
		runCmd(okOrCheck, append([]string{"check"}, w...)...)
		runCmd(okOrCheck, append([]string{"check", "--json"}, w...)...)
		runCmd(ok, append([]string{"report", "--out", "report-" + name + ".html"}, w...)...)
		runCmd(okOrCheck, append([]string{"demo", "--data", filepath.Join(work, "demo")}, w...)...)
		serve := start(t, env, []string{"env", "-C", work}, append([]string{"--config", cfg, "serve", "--addr", "127.0.0.1:0"}, w...)...)
		time.Sleep(time.Second)
		serve.kill()
		tried++
		if l := leaks(serve.out.String() + serve.stderr()); len(l) > 0 {
			t.Errorf("sparkify serve shows %v", l)
		}
	}
	runCmd(ok, "generate", "--out", filepath.Join(work, "gen"), "--songs", "5", "--days", "1", "--events-per-day", "20")
	runCmd(ok, "cluster", "up", "--dry-run")
	runCmd([]int{0, 1}, "cluster", "status") // 1: no cluster in the fake yet
	// Warehouses that cannot be reached or parsed: the DSN is echoed in errors.
	runCmd(fails, "runs", "--warehouse", "postgres://dwhuser:"+pwDSN+"@127.0.0.1:1/dwh?sslmode=disable&connect_timeout=5")
	runCmd(fails, "etl", "--warehouse", "postgres://dwhuser:"+pwDSN+"@127.0.0.1:notaport/dwh")
	runCmd(fails, "sql", "SELECT 1", "--warehouse", "redshift")
	t.Logf("%d commands run with secrets in the config, environment and DSN", tried)

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
