package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/awsfake"
	"github.com/sparkify/sparkify/internal/iostreams"
)

const (
	clusterTestPassword = "Cl1Password-never-shown"
	clusterCfg          = `# the original project's dwh.cfg, comments and all
[CLUSTER]
HOST=''
DB_NAME='dwh'
DB_USER='dwhuser'
DB_PORT='5439'
CLUSTER_TYPE='multi-node'
NUMBER_OF_NODES='2'
NODE_TYPE='dc2.large'
CLUSTER_IDENTIFIER='dwhcluster'

; the role
[IAM_ROLE]
ROLE_NAME='dwhRole'
ROLE_ARN=''

[S3]
LOG_DATA='s3://udacity-dend/log_data'
SONG_DATA='s3://udacity-dend/song_data'
`
)

// clusterEnv starts a fake AWS, points the SDK at it, and writes dwh.cfg
// and aws_credentials into a temp folder. It returns the fake, the
// sparkify environment and the leading args (--config, hidden flags).
func clusterEnv(t *testing.T) (*awsfake.Server, map[string]string, []string, string) {
	t.Helper()
	fake := awsfake.Start()
	t.Cleanup(fake.Close)
	dir := t.TempDir()
	for _, kv := range fake.Env(dir) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	// The environment's key must lose to aws_credentials.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMTHEENVIRONMENT")
	cfg := filepath.Join(dir, "dwh.cfg")
	os.WriteFile(cfg, []byte(clusterCfg), 0o640)
	creds := "[AWS]\nKEY=" + awsfake.AccessKeyID + "\nSECRET=" + awsfake.SecretAccessKey + "\nREGION=" + awsfake.Region + "\n"
	os.WriteFile(filepath.Join(dir, "aws_credentials"), []byte(creds), 0o600)
	env := map[string]string{"SPARKIFY_DB_PASSWORD": clusterTestPassword}
	return fake, env, []string{"--config", cfg}, cfg
}

func (r result) noSecrets(t *testing.T) {
	t.Helper()
	for _, s := range []string{clusterTestPassword, awsfake.SecretAccessKey} {
		if strings.Contains(r.out+r.err, s) {
			t.Errorf("output shows a secret:\n%s\n%s", r.out, r.err)
		}
	}
}

func TestClusterCycleWithAliases(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	fake.SetTransitionPolls(2)
	run := func(args ...string) result {
		t.Helper()
		r := runCLI(t, env, append(append(append([]string{}, pre...), "cluster"), append(args, "--poll-interval", "1ms")...)...)
		r.noSecrets(t)
		if r.code != 0 {
			t.Fatalf("cluster %v: exit %d\n%s%s", args, r.code, r.out, r.err)
		}
		return r
	}
	r := run("up", "--wait")
	host := "dwhcluster.cfake0abc123.us-west-2.redshift.amazonaws.com"
	if !strings.Contains(r.out, "available at "+host+":5439") || !strings.Contains(r.out, "role dwhRole created") {
		t.Errorf("up said:\n%s", r.out)
	}
	if !strings.Contains(r.err, "cluster dwhcluster: creating") {
		t.Errorf("no progress on stderr:\n%s", r.err)
	}
	for _, c := range fake.Calls() {
		if c.AccessKey != awsfake.AccessKeyID {
			t.Fatalf("%s signed with %s: aws_credentials should win over the environment", c.Action, c.AccessKey)
		}
	}
	got, _ := os.ReadFile(cfg)
	want := strings.Replace(clusterCfg, "HOST=''", "HOST='"+host+"'", 1)
	want = strings.Replace(want, "ROLE_ARN=''", "ROLE_ARN='arn:aws:iam::123456789012:role/dwhRole'", 1)
	if string(got) != want {
		t.Errorf("dwh.cfg after up:\n%s\nwant:\n%s", got, want)
	}
	if st, _ := os.Stat(cfg); st.Mode().Perm() != 0o640 {
		t.Errorf("dwh.cfg mode %v", st.Mode().Perm())
	}

	fake.ResetCalls()
	r = run("setup", "--wait")
	if !strings.Contains(r.out, "already up to date") || len(fake.Mutations()) != 0 {
		t.Errorf("second up: %s, calls %v", r.out, fake.Mutations())
	}

	r = run("status", "--json")
	var st struct {
		State   string
		Host    string
		Nodes   int
		Ingress []any
	}
	if err := json.Unmarshal([]byte(r.out), &st); err != nil || st.State != "available" || st.Host != host || st.Nodes != 2 {
		t.Errorf("status --json: %+v %v\n%s", st, err, r.out)
	}
	r = run("status")
	if !strings.Contains(r.out, "nobody (run 'sparkify cluster open-port')") {
		t.Errorf("status:\n%s", r.out)
	}
	if r = run("roleinfo"); r.out != "dwhRole\tarn:aws:iam::123456789012:role/dwhRole\n" {
		t.Errorf("role: %q", r.out)
	}

	ipURL := []string{"--ip-url", fake.URL + "/checkip"}
	if r = run(append([]string{"open-port"}, ipURL...)...); !strings.Contains(r.out, "opened port 5439 on sg-0fake0default to 203.0.113.7/32") {
		t.Errorf("open-port: %s", r.out)
	}
	if r = run(append([]string{"openport"}, ipURL...)...); !strings.Contains(r.out, "already open") {
		t.Errorf("second open-port: %s", r.out)
	}
	if r = run("status"); !strings.Contains(r.out, "203.0.113.7/32 tcp 5439 (sparkify)") {
		t.Errorf("status after open-port:\n%s", r.out)
	}
	for _, v := range [][2]string{{"pause", "is paused"}, {"pause", "already paused"}, {"resume", "is available"}, {"resume", "already available"}} {
		if r = run(v[0], "--wait"); !strings.Contains(r.out, v[1]) {
			t.Errorf("%s: %s", v[0], r.out)
		}
	}
	r = run("down", "--yes")
	for _, want := range []string{"closed port 5439 to 203.0.113.7/32", "deleted cluster dwhcluster", "detached", "deleted role dwhRole"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("down lacks %q:\n%s", want, r.out)
		}
	}
	if r = run("teardown", "--yes"); !strings.Contains(r.out, "nothing left to remove") {
		t.Errorf("second down: %s", r.out)
	}
}

func TestClusterDryRunChangesNothing(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	r := runCLI(t, env, append(pre, "cluster", "up", "--wait", "--dry-run")...)
	r.noSecrets(t)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if muts := fake.Mutations(); len(muts) != 0 {
		t.Errorf("dry run made changing calls: %v", muts)
	}
	for _, want := range []string{"would call: iam CreateRole RoleName=dwhRole", "would call: redshift CreateCluster ClusterIdentifier=dwhcluster",
		"MasterUserPassword=********", "would update " + cfg + ": [IAM_ROLE] ARN=arn:aws:iam::ACCOUNT:role/dwhRole"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.out)
		}
	}
	if b, _ := os.ReadFile(cfg); string(b) != clusterCfg {
		t.Error("dry run changed dwh.cfg")
	}
	// With a cluster there, every changing verb has calls to show.
	if r := runCLI(t, env, append(pre, "cluster", "up", "--wait", "--poll-interval", "1ms")...); r.code != 0 {
		t.Fatalf("up: %s", r.err)
	}
	fake.ResetCalls()
	for _, v := range []struct {
		args []string
		want string
	}{
		{[]string{"open-port", "--cidr", "198.51.100.4"}, "would call: ec2 AuthorizeSecurityGroupIngress GroupId=sg-0fake0default IpProtocol=tcp FromPort=5439 ToPort=5439 Cidr=198.51.100.4/32 Description=sparkify"},
		{[]string{"pause", "--wait"}, "would call: redshift PauseCluster ClusterIdentifier=dwhcluster\nwould wait until cluster dwhcluster is paused"},
		{[]string{"down"}, "would call: redshift DeleteCluster ClusterIdentifier=dwhcluster SkipFinalClusterSnapshot=true"},
		{[]string{"down"}, "would call: iam DeleteRole RoleName=dwhRole"},
		{[]string{"up"}, "would update " + cfg + ": [IAM_ROLE] ARN=arn:aws:iam::123456789012:role/dwhRole, [CLUSTER] HOST="},
	} {
		r := runCLI(t, env, append(append(pre, "cluster"), append(v.args, "--dry-run")...)...)
		if r.code != 0 || !strings.Contains(r.out, v.want) {
			t.Errorf("%v --dry-run: exit %d, want %q in:\n%s%s", v.args, r.code, v.want, r.out, r.err)
		}
		r.noSecrets(t)
	}
	if muts := fake.Mutations(); len(muts) != 0 {
		t.Errorf("dry runs made changing calls: %v", muts)
	}
}

func TestClusterRefusalsAndErrors(t *testing.T) {
	fake, env, pre, _ := clusterEnv(t)
	r := runCLI(t, env, append(pre, "cluster", "open-port", "--cidr", "0.0.0.0/0")...)
	if r.code != ExitUsage || !strings.Contains(r.err, "--allow-anywhere") {
		t.Errorf("0.0.0.0/0: exit %d: %s", r.code, r.err)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("%d AWS calls for a refused range", n)
	}
	r = runCLI(t, env, append(pre, "cluster", "status")...)
	if r.code != ExitFailure || !strings.Contains(r.err, "no cluster named dwhcluster") || !strings.Contains(r.err, "run 'sparkify cluster up'") {
		t.Errorf("status with no cluster: exit %d: %s", r.code, r.err)
	}
	r = runCLI(t, env, append(pre, "cluster", "down")...)
	if r.code != ExitUsage || !strings.Contains(r.err, "--yes") {
		t.Errorf("down without --yes off a terminal: exit %d: %s", r.code, r.err)
	}
	fake.Fail("DescribeClusters", "InvalidClientTokenId")
	r = runCLI(t, env, append(pre, "cluster", "up")...)
	if r.code != ExitFailure || !strings.Contains(r.err, "check KEY and SECRET in aws_credentials") {
		t.Errorf("bad key: exit %d: %s", r.code, r.err)
	}
	delete(env, "SPARKIFY_DB_PASSWORD")
	r = runCLI(t, env, append(pre, "cluster", "up")...)
	if r.code != ExitFailure || !strings.Contains(r.err, "SPARKIFY_DB_PASSWORD") || len(fake.Mutations()) != 0 {
		t.Errorf("no password: exit %d: %s", r.code, r.err)
	}
	r.noSecrets(t)
}

// On a terminal: up waits by default with a redrawn progress line, and
// down asks before deleting.
func TestClusterOnATerminal(t *testing.T) {
	fake, env, pre, _ := clusterEnv(t)
	fake.SetTransitionPolls(1)
	run := func(stdin string, args ...string) result {
		io, in, out, errOut := iostreams.Test()
		io.SetTTY(true, true, true)
		in.WriteString(stdin)
		f := NewFactory(io, func(k string) string { return env[k] })
		code := Execute(context.Background(), f, append(append(append([]string{}, pre...), "cluster"), append(args, "--poll-interval", "1ms")...))
		r := result{out: out.String(), err: errOut.String(), code: code}
		r.noSecrets(t)
		return r
	}
	r := run("", "up")
	if r.code != 0 || !strings.Contains(r.err, "\r\x1b[Kwaiting for cluster dwhcluster: creating") || !strings.Contains(r.out, "available at") {
		t.Fatalf("up on a terminal: exit %d\n%q\n%s", r.code, r.err, r.out)
	}
	fake.ResetCalls()
	r = run("n\n", "down")
	if r.code != ExitFailure || !strings.Contains(r.err, "Delete cluster dwhcluster (no final snapshot) with all its data, and IAM role dwhRole? [y/N]") ||
		!strings.Contains(r.err, "cancelled") || len(fake.Mutations()) != 0 {
		t.Errorf("down answered no: exit %d %s, calls %v", r.code, r.err, fake.Mutations())
	}
	r = run("y\n", "down", "--final-snapshot", "last-one")
	if r.code != 0 || !strings.Contains(r.out, "deleted role dwhRole") {
		t.Errorf("down answered yes: exit %d %s %s", r.code, r.out, r.err)
	}
	for _, c := range fake.Calls() {
		if c.Action == "DeleteCluster" && (c.Params.Get("FinalClusterSnapshotIdentifier") != "last-one" || c.Params.Get("SkipFinalClusterSnapshot") != "false") {
			t.Errorf("DeleteCluster params %v", c.Params)
		}
	}
}

func TestClusterUpTimeoutStillRecordsRole(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	fake.SetTransitionPolls(1 << 30)
	r := runCLI(t, env, append(pre, "cluster", "up", "--wait", "--timeout", "20ms", "--poll-interval", "2ms")...)
	if r.code != ExitFailure || !strings.Contains(r.err, "still creating") {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	got, _ := os.ReadFile(cfg)
	want := strings.Replace(clusterCfg, "ROLE_ARN=''", "ROLE_ARN='arn:aws:iam::123456789012:role/dwhRole'", 1)
	if string(got) != want {
		t.Errorf("dwh.cfg after a timed-out up:\n%s", got)
	}
}
