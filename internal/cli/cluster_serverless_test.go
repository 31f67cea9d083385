package cli

import (
	"os"
	"strings"
	"testing"
)

// CLUSTER_TYPE = serverless in dwh.cfg: up creates the namespace and the
// workgroup and records the workgroup's endpoint as HOST; status shows it;
// open-port opens its security group; down removes everything and clears
// HOST and ROLE_ARN again.
func TestClusterServerlessFromDwhCfg(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	fake.SetTransitionPolls(1)
	serverless := strings.Replace(clusterCfg, "CLUSTER_TYPE='multi-node'", "CLUSTER_TYPE='serverless'\nWORKGROUP='dwh-wg'\nNAMESPACE='dwh-ns'\nBASE_CAPACITY='8'", 1)
	if err := os.WriteFile(cfg, []byte(serverless), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) result {
		t.Helper()
		r := runCLI(t, env, append(append(append([]string{}, pre...), "cluster"), append(args, "--poll-interval", "1ms", "--ip-url", fake.URL+"/checkip")...)...)
		r.noSecrets(t)
		if r.code != 0 {
			t.Fatalf("cluster %v: exit %d\n%s%s", args, r.code, r.out, r.err)
		}
		return r
	}
	host := "dwh-wg.123456789012.us-west-2.redshift-serverless.amazonaws.com"
	if r := run("up"); !strings.Contains(r.out, "workgroup dwh-wg created: available at "+host+":5439") || strings.Contains(r.err, "warning: NODE_TYPE") {
		t.Errorf("up:\n%s%s", r.out, r.err)
	}
	b, _ := os.ReadFile(cfg)
	if want := strings.Replace(strings.Replace(serverless, "HOST=''", "HOST='"+host+"'", 1), "ROLE_ARN=''", "ROLE_ARN='arn:aws:iam::123456789012:role/dwhRole'", 1); string(b) != want {
		t.Errorf("dwh.cfg after up:\n%s", b)
	}
	if _, ok := fake.Cluster("dwhcluster"); ok {
		t.Error("a provisioned cluster was created too")
	}
	if r := run("open-port"); !strings.Contains(r.out, "opened port 5439 on sg-0fake0default to 203.0.113.7/32") {
		t.Errorf("open-port: %s", r.out)
	}
	if r := run("status"); !strings.Contains(r.out, "workgroup:") || !strings.Contains(r.out, "namespace dwh-ns, base capacity 8 RPUs") ||
		!strings.Contains(r.out, "203.0.113.7/32 tcp 5439 (sparkify)") {
		t.Errorf("status:\n%s", r.out)
	}
	if r := run("down", "--yes"); !strings.Contains(r.out, "deleted workgroup dwh-wg") || !strings.Contains(r.out, "deleted role dwhRole") {
		t.Errorf("down:\n%s%s", r.out, r.err)
	}
	if _, ok := fake.Namespace("dwh-ns"); ok {
		t.Error("namespace left after down")
	}
	if b, _ := os.ReadFile(cfg); string(b) != serverless {
		t.Errorf("dwh.cfg after down:\n%s", b)
	}
}
