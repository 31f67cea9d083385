package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/awsfake"
)

// TestClusterBinaryEndToEnd builds sparkify and drives 'cluster up',
// 'status' and 'down' as a user would, with AWS_ENDPOINT_URL pointing the
// real binary's SDK at the fake.
func TestClusterBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "sparkify")
	build := exec.Command(goBin, "build", "-o", bin, "./cmd/sparkify")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	fake := awsfake.Start()
	defer fake.Close()
	fake.SetTransitionPolls(1)
	os.WriteFile(filepath.Join(dir, "dwh.cfg"), []byte(clusterCfg), 0o600)
	env := append(fake.Env(dir), "PATH="+os.Getenv("PATH"), "HOME="+dir, "SPARKIFY_DB_PASSWORD="+clusterTestPassword)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"cluster"}, append(args, "--poll-interval", "1ms")...)...)
		cmd.Dir, cmd.Env = dir, env // ./dwh.cfg, found by default
		out, err := cmd.CombinedOutput()
		t.Logf("sparkify cluster %s\n%s", strings.Join(args, " "), out)
		if err != nil {
			t.Fatalf("sparkify cluster %v: %v", args, err)
		}
		for _, s := range []string{clusterTestPassword, awsfake.SecretAccessKey} {
			if strings.Contains(string(out), s) {
				t.Errorf("output shows a secret")
			}
		}
		return string(out)
	}
	if out := run("up", "--wait"); !strings.Contains(out, "available at dwhcluster.") {
		t.Errorf("up: %s", out)
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "dwh.cfg"))
	if !strings.Contains(string(cfg), "HOST='dwhcluster.cfake0abc123.us-west-2.redshift.amazonaws.com'") ||
		!strings.Contains(string(cfg), "ROLE_ARN='arn:aws:iam::123456789012:role/dwhRole'") {
		t.Errorf("dwh.cfg not updated:\n%s", cfg)
	}
	if out := run("status"); !strings.Contains(out, "available") || !strings.Contains(out, "2 x dc2.large") {
		t.Errorf("status: %s", out)
	}
	run("down", "--yes")
	if _, ok := fake.Cluster("dwhcluster"); ok {
		t.Error("cluster left after down")
	}
	if _, ok := fake.Role("dwhRole"); ok {
		t.Error("role left after down")
	}
	for _, c := range fake.Calls() {
		if c.Region != awsfake.Region && c.Service != "iam" {
			t.Errorf("%s %s signed for region %s", c.Service, c.Action, c.Region)
		}
	}
}
