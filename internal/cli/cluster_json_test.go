package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/awsfake"
)

// 'cluster up' waits by default in a pipe too (a script's next step needs
// the HOST only a wait records); --no-wait returns while it is creating.
func TestClusterUpWaitsByDefault(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	fake.SetTransitionPolls(2)
	r := runCLI(t, env, append(pre, "cluster", "up", "--no-wait", "--poll-interval", "1ms")...)
	if r.code != 0 || !strings.Contains(r.out, "cluster dwhcluster created: creating") {
		t.Fatalf("up --no-wait: exit %d\n%s%s", r.code, r.out, r.err)
	}
	if b, _ := os.ReadFile(cfg); !strings.Contains(string(b), "HOST=''") {
		t.Errorf("up --no-wait recorded a host:\n%s", b)
	}
	r = runCLI(t, env, append(pre, "cluster", "up", "--poll-interval", "1ms")...)
	if r.code != 0 || !strings.Contains(r.out, "available at dwhcluster.") {
		t.Fatalf("up in a pipe: exit %d\n%s%s", r.code, r.out, r.err)
	}
	if b, _ := os.ReadFile(cfg); !strings.Contains(string(b), "HOST='dwhcluster.cfake0abc123.us-west-2.redshift.amazonaws.com'") {
		t.Errorf("up did not wait and record the host:\n%s", b)
	}
}

// Every cluster verb takes --json: one JSON document on stdout, the human
// notes on stderr. 'down' then clears HOST and ROLE_ARN in dwh.cfg and
// leaves every other line as it was.
func TestClusterJSONOnEveryVerbAndDownClearsDwhCfg(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	fake.SetTransitionPolls(1)
	run := func(args ...string) map[string]any {
		t.Helper()
		r := runCLI(t, env, append(append(append([]string{}, pre...), "cluster"), append(args, "--json", "--poll-interval", "1ms", "--ip-url", fake.URL+"/checkip")...)...)
		r.noSecrets(t)
		var v map[string]any
		if err := json.Unmarshal([]byte(r.out), &v); r.code != 0 || err != nil {
			t.Fatalf("cluster %v --json: exit %d, %v\nstdout:\n%s\nstderr:\n%s", args, r.code, err, r.out, r.err)
		}
		return v
	}
	checks := []struct {
		args  []string
		field string
		want  any
	}{
		{[]string{"up"}, "cluster_created", true},
		{[]string{"status"}, "state", "available"},
		{[]string{"role"}, "name", "dwhRole"},
		{[]string{"open-port"}, "changed", true},
		{[]string{"close-port"}, "changed", true},
		{[]string{"pause", "--wait"}, "changed", true},
		{[]string{"resume", "--wait"}, "changed", true},
		{[]string{"down", "--yes"}, "role_deleted", true},
	}
	for _, c := range checks {
		if v := run(c.args...); v[c.field] != c.want {
			t.Errorf("cluster %v --json: %s = %v, want %v in %v", c.args, c.field, v[c.field], c.want, v)
		}
	}
	if b, _ := os.ReadFile(cfg); string(b) != clusterCfg {
		t.Errorf("dwh.cfg after down:\n%s\nwant the file as it was before up:\n%s", b, clusterCfg)
	}
}

// 'etl --warehouse redshift' before any 'cluster up' says which command
// records the HOST it lacks.
func TestEtlRedshiftWithoutHostNamesClusterUp(t *testing.T) {
	_, env, pre, _ := clusterEnv(t)
	r := runCLI(t, env, append(pre, "etl", "--warehouse", "redshift")...)
	if r.code == 0 || !strings.Contains(r.err, "run 'sparkify cluster up'") {
		t.Errorf("exit %d\n%s", r.code, r.err)
	}
}

// 'down' of a cluster sparkify did not create keeps it and says how to
// delete it anyway; HOST stays in dwh.cfg. --delete-untagged deletes it.
func TestClusterDownKeepsUntaggedCluster(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	fake.PutCluster(awsfake.Cluster{Identifier: "dwhcluster"})
	withHost := strings.Replace(clusterCfg, "HOST=''", "HOST='h.example'", 1)
	os.WriteFile(cfg, []byte(withHost), 0o600)
	r := runCLI(t, env, append(pre, "cluster", "down", "--yes")...)
	if r.code != 0 || !strings.Contains(r.out, "kept cluster dwhcluster and role dwhRole") || !strings.Contains(r.out, "--delete-untagged") {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	if b, _ := os.ReadFile(cfg); string(b) != withHost || fake.Count("DeleteCluster") != 0 {
		t.Errorf("dwh.cfg changed or cluster deleted:\n%s", b)
	}
	r = runCLI(t, env, append(pre, "cluster", "down", "--yes", "--delete-untagged", "--poll-interval", "1ms")...)
	if _, ok := fake.Cluster("dwhcluster"); r.code != 0 || ok || !strings.Contains(r.out, "deleted cluster dwhcluster") {
		t.Errorf("--delete-untagged: exit %d, cluster left %v\n%s%s", r.code, ok, r.out, r.err)
	}
}
