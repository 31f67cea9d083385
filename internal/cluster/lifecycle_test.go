package cluster

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
	"github.com/sparkify/sparkify/internal/config"
)

// The whole cycle, every verb run twice: the second run changes nothing.
func TestLifecycleEachVerbTwice(t *testing.T) {
	r := newRig(t)
	r.fake.SetTransitionPolls(2)
	c := ctx(t)
	wait := UpOptions{Wait: true, Timeout: 10 * time.Second}

	up, err := r.m.Up(c, wait)
	if err != nil {
		t.Fatal(err)
	}
	if !up.RoleCreated || !up.PolicyAttached || !up.ClusterCreated || !up.Available() {
		t.Fatalf("first up: %+v", up)
	}
	role, _ := r.fake.Role("sparkify-role")
	if !strings.Contains(role.TrustPolicy, "redshift.amazonaws.com") || !slices.Equal(role.Policies, []string{config.DefaultS3PolicyARN}) {
		t.Errorf("role = %+v", role)
	}
	cl, _ := r.fake.Cluster("sparkify-test")
	if cl.NumberOfNodes != 2 || cl.NodeType != "ra3.large" || !slices.Equal(cl.IAMRoles, []string{up.RoleARN}) || !cl.Public || cl.Tags[TagKey] != TagValue {
		t.Errorf("cluster = %+v", cl)
	}
	if got := r.fake.Calls()[len(r.fake.Calls())-1].Params.Get("MasterUserPassword"); got != "" {
		t.Error("the last call should be a describe, not a create carrying the password")
	}
	if up.Cluster.Host == "" || up.RoleARN != role.ARN {
		t.Errorf("up result host %q arn %q", up.Cluster.Host, up.RoleARN)
	}

	r.fake.ResetCalls()
	again, err := r.m.Up(c, wait)
	if err != nil || again.RoleCreated || again.PolicyAttached || again.ClusterCreated || len(again.Drift) > 0 || !again.Available() {
		t.Fatalf("second up: %+v, %v", again, err)
	}
	r.noMutations(t, "second up")

	for i := 0; i < 2; i++ {
		st, err := r.m.Status(c)
		if err != nil || st.State != "available" || st.Nodes != 2 || len(st.IAMRoles) != 1 || st.Port != 5439 {
			t.Fatalf("status: %+v, %v", st, err)
		}
		ri, err := r.m.Role(c)
		if err != nil || ri.ARN != up.RoleARN || ri.Name != "sparkify-role" {
			t.Fatalf("role: %+v, %v", ri, err)
		}
	}

	for i, wantChanged := range []bool{true, false} {
		res, err := r.m.OpenPort(c, OpenPortOptions{})
		if err != nil || res.Changed != wantChanged || res.Rules[0].CIDR != "203.0.113.7/32" {
			t.Fatalf("open-port %d: %+v, %v", i+1, res, err)
		}
	}
	st, _ := r.m.Status(c)
	if len(st.Ingress) != 1 || !st.Ingress[0].Sparkify || st.Ingress[0].CIDR != "203.0.113.7/32" {
		t.Errorf("status ingress = %+v", st.Ingress)
	}

	for i, wantChanged := range []bool{true, false} {
		res, err := r.m.Pause(c, WaitOptions{Wait: true, Timeout: 10 * time.Second})
		if err != nil || res.Changed != wantChanged || res.Cluster.State != "paused" {
			t.Fatalf("pause %d: %+v, %v", i+1, res, err)
		}
	}
	for i, wantChanged := range []bool{true, false} {
		res, err := r.m.Resume(c, WaitOptions{Wait: true, Timeout: 10 * time.Second})
		if err != nil || res.Changed != wantChanged || res.Cluster.State != "available" {
			t.Fatalf("resume %d: %+v, %v", i+1, res, err)
		}
	}

	down, err := r.m.Down(c, DownOptions{Timeout: 10 * time.Second})
	if err != nil || len(down.PortRules) != 1 || !down.ClusterDeleted || !down.PolicyDetached || !down.RoleDeleted {
		t.Fatalf("down: %+v, %v", down, err)
	}
	if _, ok := r.fake.Cluster("sparkify-test"); ok {
		t.Error("cluster still there")
	}
	if _, ok := r.fake.Role("sparkify-role"); ok {
		t.Error("role still there")
	}
	if g, _ := r.fake.Group(awsfake.DefaultGroup); len(g.Ingress) != 0 {
		t.Errorf("rules left: %+v", g.Ingress)
	}
	if del := r.fake.Calls(); del[len(del)-1].Action != "DeleteRole" {
		t.Errorf("last call %s, want DeleteRole", del[len(del)-1].Action)
	}
	r.fake.ResetCalls()
	down, err = r.m.Down(c, DownOptions{Timeout: 10 * time.Second})
	if err != nil || down.ClusterDeleted || down.RoleDeleted || len(down.PortRules) > 0 {
		t.Fatalf("second down: %+v, %v", down, err)
	}
	r.noMutations(t, "second down")
	noSecrets(t, "log", r.logText())
}

func TestWaitTakesSeveralPollsThenTimesOut(t *testing.T) {
	r := newRig(t)
	r.fake.SetTransitionPolls(4)
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	// CreateCluster answers "creating"; four polls say creating, the fifth available.
	if n := r.fake.Count("DescribeClusters"); n != 1+5 {
		t.Errorf("%d DescribeClusters calls, want 6 (one before creating, five polls)", n)
	}
	if want := []string{"creating", "creating", "creating", "creating", "available"}; !slices.Equal(r.states, want) {
		t.Errorf("progress states %v, want %v", r.states, want)
	}

	r2 := newRig(t)
	r2.fake.SetTransitionPolls(1 << 30)
	r2.m.PollInterval = 2 * time.Millisecond
	start := time.Now()
	res, err := r2.m.Up(ctx(t), UpOptions{Wait: true, Timeout: 40 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "still creating") {
		t.Fatalf("err = %v, want a timeout saying the state", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the timeout took %s", time.Since(start))
	}
	if res == nil || res.RoleARN == "" || !res.ClusterCreated {
		t.Errorf("a timed-out up should still say what it did: %+v", res)
	}
}

func TestUpReusesExistingRoleAndReportsDrift(t *testing.T) {
	r := newRig(t)
	r.fake.PutRole(awsfake.Role{Name: "sparkify-role", TrustPolicy: `{"Statement":[{"Principal":{"Service":"ec2.amazonaws.com"}}]}`})
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test", NodeType: "ra3.xlplus", NumberOfNodes: 4, DBName: "dev", MasterUsername: "awsuser"})
	res, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.fake.Count("CreateRole") != 0 || r.fake.Count("CreateCluster") != 0 || !res.PolicyAttached {
		t.Errorf("calls %v, result %+v", r.fake.Calls(), res)
	}
	var fields []string
	for _, d := range res.Drift {
		fields = append(fields, d.Field)
	}
	for _, want := range []string{"role trust policy", "node type (NODE_TYPE)", "number of nodes (CLUSTER_TYPE/NUMBER_OF_NODES)", "IAM role"} {
		if !slices.Contains(fields, want) {
			t.Errorf("drift %v lacks %q", fields, want)
		}
	}
	if !strings.Contains(r.logText(), "drift: node type (NODE_TYPE): config says ra3.large, AWS has ra3.xlplus") {
		t.Errorf("log = %q", r.logText())
	}
}

func TestRoleCreatedMeanwhileIsReused(t *testing.T) {
	r := newRig(t)
	r.fake.PutRole(awsfake.Role{Name: "sparkify-role", TrustPolicy: TrustPolicy})
	r.fake.Fail("GetRole", "NoSuchEntity") // as if another run created it just after our look
	res, err := r.m.Up(ctx(t), UpOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.fake.Count("CreateRole") != 1 || res.RoleARN != "arn:aws:iam::123456789012:role/sparkify-role" {
		t.Errorf("arn %q after %d CreateRole", res.RoleARN, r.fake.Count("CreateRole"))
	}
}

func TestDownAfterHalfFinishedUp(t *testing.T) {
	r := newRig(t)
	r.fake.Fail("CreateCluster", "ClusterQuotaExceeded")
	_, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second})
	if !errors.Is(err, ErrQuota) || !strings.Contains(err.Error(), "quota") {
		t.Fatalf("err = %v, want a quota error", err)
	}
	if _, ok := r.fake.Role("sparkify-role"); !ok {
		t.Fatal("the role should exist after the half-finished up")
	}
	res, err := r.m.Down(ctx(t), DownOptions{Timeout: time.Second})
	if err != nil || res.ClusterDeleted || !res.RoleDeleted || !res.PolicyDetached {
		t.Fatalf("down: %+v, %v", res, err)
	}
	if r.fake.Count("DeleteCluster") != 0 {
		t.Error("DeleteCluster called with no cluster")
	}

	// A down interrupted while the cluster is deleting: the next one waits
	// for it without deleting again, then removes the role.
	r2 := newRig(t)
	if _, err := r2.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	r2.fake.SetTransitionPolls(1 << 30)
	if _, err := r2.m.Down(ctx(t), DownOptions{Timeout: 5 * time.Millisecond}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if _, ok := r2.fake.Role("sparkify-role"); !ok {
		t.Fatal("the role went before the cluster")
	}
	r2.fake.SetTransitionPolls(0)
	res, err = r2.m.Down(ctx(t), DownOptions{Timeout: time.Second})
	if err != nil || res.ClusterDeleted || !res.RoleDeleted || r2.fake.Count("DeleteCluster") != 1 {
		t.Fatalf("second down: %+v, %v, %d DeleteCluster", res, err, r2.fake.Count("DeleteCluster"))
	}
}

func TestDryRunMakesNoChanges(t *testing.T) {
	r := newRig(t)
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	r.fake.ResetCalls()
	r.m.DryRun = true
	if _, err := r.m.Down(ctx(t), DownOptions{Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	r.noMutations(t, "dry-run down")
	plan := r.plan.String()
	for _, want := range []string{"would call: redshift DeleteCluster ClusterIdentifier=sparkify-test SkipFinalClusterSnapshot=true",
		"would call: iam DetachRolePolicy RoleName=sparkify-role PolicyArn=" + config.DefaultS3PolicyARN,
		"would call: iam DeleteRole RoleName=sparkify-role", "would wait until cluster sparkify-test is gone"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}

	fresh := newRig(t)
	fresh.m.DryRun = true
	if _, err := fresh.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	fresh.noMutations(t, "dry-run up")
	plan = fresh.plan.String()
	for _, want := range []string{"would call: iam CreateRole RoleName=sparkify-role", "would call: iam AttachRolePolicy",
		"would call: redshift CreateCluster ClusterIdentifier=sparkify-test ClusterType=multi-node NodeType=ra3.large NumberOfNodes=2",
		"MasterUserPassword=********", "would wait until cluster sparkify-test is available"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	noSecrets(t, "plan", plan)
}

func TestNewRoleNotYetVisibleIsRetried(t *testing.T) {
	r := newRig(t)
	r.fake.FailWith("CreateCluster", awsfake.Fault{Code: "InvalidParameterValue", Message: "Invalid IAM role ARN: not found", Times: 2})
	res, err := r.m.Up(ctx(t), UpOptions{})
	if err != nil || !res.ClusterCreated || r.fake.Count("CreateCluster") != 3 {
		t.Fatalf("%+v, %v after %d CreateCluster", res, err, r.fake.Count("CreateCluster"))
	}
	// An existing role is not retried: the error is real.
	r2 := newRig(t)
	r2.fake.PutRole(awsfake.Role{Name: "sparkify-role", TrustPolicy: TrustPolicy})
	r2.fake.FailWith("CreateCluster", awsfake.Fault{Code: "InvalidParameterValue", Message: "Invalid IAM role ARN", Times: 2})
	if _, err := r2.m.Up(ctx(t), UpOptions{}); err == nil || r2.fake.Count("CreateCluster") != 1 {
		t.Errorf("err %v after %d CreateCluster", err, r2.fake.Count("CreateCluster"))
	}
}

// TestDryRunResumeAndClosePort: resume, close-port, and a down that has
// rules to revoke, each with --dry-run, print their calls and change
// nothing.
func TestDryRunResumeAndClosePort(t *testing.T) {
	r := newRig(t)
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: "198.51.100.7/32"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.Pause(ctx(t), WaitOptions{Wait: true, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	r.fake.ResetCalls()
	r.m.DryRun = true
	steps := []struct {
		name string
		run  func() error
		want []string
	}{
		{"resume", func() error { _, err := r.m.Resume(ctx(t), WaitOptions{Wait: true, Timeout: time.Minute}); return err },
			[]string{"would call: redshift ResumeCluster ClusterIdentifier=sparkify-test"}},
		{"close-port", func() error { _, err := r.m.ClosePort(ctx(t)); return err },
			[]string{"would call: ec2 RevokeSecurityGroupIngress", "198.51.100.7/32"}},
		{"down", func() error { _, err := r.m.Down(ctx(t), DownOptions{Timeout: time.Minute}); return err },
			[]string{"would call: ec2 RevokeSecurityGroupIngress", "would call: redshift DeleteCluster"}},
	}
	for _, s := range steps {
		r.plan.Reset()
		if err := s.run(); err != nil {
			t.Fatalf("%s --dry-run: %v", s.name, err)
		}
		r.noMutations(t, "dry-run "+s.name)
		plan := r.plan.String()
		for _, w := range s.want {
			if !strings.Contains(plan, w) {
				t.Errorf("%s --dry-run: plan lacks %q:\n%s", s.name, w, plan)
			}
		}
	}
}

// TestCustomPolicyFromDwhCfg: [IAM_ROLE] S3_POLICY_ARN names the policy up
// attaches instead of AmazonS3ReadOnlyAccess, and the one down detaches
// before it deletes the role.
func TestCustomPolicyFromDwhCfg(t *testing.T) {
	const policy = "arn:aws:iam::123456789012:policy/sparkify-bucket-read"
	cfgFile := filepath.Join(t.TempDir(), "dwh.cfg")
	body := "[CLUSTER]\nCLUSTER_IDENTIFIER = sparkify-test\nDB_NAME = dev\nDB_USER = awsuser\nDB_PASSWORD = " + testPassword +
		"\nDB_PORT = 5439\nNODE_TYPE = ra3.large\nCLUSTER_TYPE = single-node\n[IAM_ROLE]\nROLE_NAME = sparkify-role\nS3_POLICY_ARN = " + policy + "\n"
	if err := os.WriteFile(cfgFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Flags{ConfigFile: cfgFile}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t)
	r.m.Spec = SpecFromConfig(cfg)
	if r.m.Spec.PolicyARN != policy {
		t.Fatalf("spec policy %q, want the one in dwh.cfg", r.m.Spec.PolicyARN)
	}
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	role, ok := r.fake.Role(r.m.Spec.RoleName)
	if !ok || !slices.Equal(role.Policies, []string{policy}) {
		t.Fatalf("role %q after up: %+v (found %v), want only %s attached", r.m.Spec.RoleName, role, ok, policy)
	}
	if _, err := r.m.Down(ctx(t), DownOptions{Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.fake.Role(r.m.Spec.RoleName); ok || r.fake.Count("DetachRolePolicy") != 1 {
		t.Errorf("after down: role still there %v, %d DetachRolePolicy calls", ok, r.fake.Count("DetachRolePolicy"))
	}
}
