package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
	"github.com/sparkify/sparkify/internal/config"
)

func TestClusterNotFound(t *testing.T) {
	r := newRig(t)
	_, err := r.m.Status(ctx(t))
	if !errors.Is(err, ErrClusterNotFound) || !strings.Contains(err.Error(), "no cluster named sparkify-test") ||
		!strings.Contains(err.Error(), "sparkify cluster up") {
		t.Errorf("status: %v", err)
	}
	for name, run := range map[string]func() error{
		"pause":     func() error { _, err := r.m.Pause(ctx(t), WaitOptions{}); return err },
		"resume":    func() error { _, err := r.m.Resume(ctx(t), WaitOptions{}); return err },
		"open-port": func() error { _, err := r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: "198.51.100.1"}); return err },
	} {
		if err := run(); !errors.Is(err, ErrClusterNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := r.m.Role(ctx(t)); !errors.Is(err, ErrRoleNotFound) || !strings.Contains(err.Error(), "sparkify cluster up") {
		t.Errorf("role: %v", err)
	}
	if res, err := r.m.ClosePort(ctx(t)); err != nil || res.Changed {
		t.Errorf("close-port with no cluster: %+v, %v", res, err)
	}
	r.noMutations(t, "verbs on a missing cluster")
}

func TestAWSErrorsSayWhatToDo(t *testing.T) {
	cases := []struct {
		action, code string
		kind         error
		hint         string
	}{
		{"CreateRole", "AccessDenied", ErrAccessDenied, "not allowed iam:CreateRole"},
		{"DescribeClusters", "InvalidClientTokenId", ErrCredentials, "check KEY and SECRET"},
		{"CreateCluster", "ClusterAlreadyExists", ErrNameTaken, "choose another CLUSTER_IDENTIFIER"},
		{"CreateCluster", "ClusterQuotaExceeded", ErrQuota, "quota in us-west-2 is used up"},
		{"AttachRolePolicy", "AccessDenied", ErrAccessDenied, "iam:AttachRolePolicy"},
	}
	for _, tc := range cases {
		t.Run(tc.action+"/"+tc.code, func(t *testing.T) {
			r := newRig(t)
			r.fake.Fail(tc.action, tc.code)
			_, err := r.m.Up(ctx(t), UpOptions{})
			var e *Error
			if !errors.Is(err, tc.kind) || !errors.As(err, &e) || e.Code != tc.code || !strings.Contains(err.Error(), tc.hint) {
				t.Errorf("err = %v, want %v with hint %q", err, tc.kind, tc.hint)
			}
			noSecrets(t, "error", err.Error())
		})
	}
	// EC2 answers in its own error format.
	r := newRig(t)
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test"})
	r.fake.Fail("AuthorizeSecurityGroupIngress", "UnauthorizedOperation")
	_, err := r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: "198.51.100.1/32"})
	if !errors.Is(err, ErrAccessDenied) || !strings.Contains(err.Error(), "ec2:AuthorizeSecurityGroupIngress") {
		t.Errorf("ec2: %v", err)
	}
}

func TestUpChecksSettingsBeforeCalling(t *testing.T) {
	for name, edit := range map[string]func(*Spec){
		"no password":    func(s *Spec) { s.DBPassword = "" },
		"weak password":  func(s *Spec) { s.DBPassword = config.Secret("alllowercase1") },
		"too few nodes":  func(s *Spec) { s.NumberOfNodes = 1 },
		"bad type":       func(s *Spec) { s.ClusterType = "huge" },
		"no node type":   func(s *Spec) { s.NodeType = "" },
		"quote password": func(s *Spec) { s.DBPassword = config.Secret("Abcdefg1'") },
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			edit(&r.m.Spec)
			_, err := r.m.Up(ctx(t), UpOptions{})
			if err == nil {
				t.Fatal("accepted")
			}
			r.noMutations(t, name)
			noSecrets(t, "error", err.Error())
			if strings.Contains(err.Error(), "alllowercase1") {
				t.Errorf("password shown: %v", err)
			}
		})
	}
	r := newRig(t)
	r.m.Spec.ClusterType, r.m.Spec.NumberOfNodes = "single-node", 4
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second}); err != nil {
		t.Fatalf("single-node: %v", err)
	}
	if c, _ := r.fake.Cluster("sparkify-test"); c.NumberOfNodes != 1 {
		t.Errorf("single-node cluster has %d nodes", c.NumberOfNodes)
	}
}

func TestUpRefusesClusterBeingDeleted(t *testing.T) {
	r := newRig(t)
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test", Status: "deleting"})
	if _, err := r.m.Up(ctx(t), UpOptions{}); !errors.Is(err, ErrInvalidState) {
		t.Errorf("err = %v", err)
	}
	r.noMutations(t, "up on a deleting cluster")
}

func TestStateMismatches(t *testing.T) {
	r := newRig(t)
	r.fake.PutRole(awsfake.Role{Name: "sparkify-role", TrustPolicy: TrustPolicy, Policies: []string{config.DefaultS3PolicyARN}})
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test", Status: "paused", NodeType: "ra3.large", NumberOfNodes: 2,
		DBName: "dev", MasterUsername: "awsuser", IAMRoles: []string{"arn:aws:iam::123456789012:role/sparkify-role"}})
	res, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second})
	if err != nil || res.Available() || len(res.Drift) != 0 || !strings.Contains(r.logText(), "sparkify cluster resume") {
		t.Errorf("up on a paused cluster: %+v, %v, log %q", res, err, r.logText())
	}
	r.noMutations(t, "up on a paused, matching cluster")

	r2 := newRig(t)
	r2.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test", Status: "creating"})
	_, err = r2.m.Pause(ctx(t), WaitOptions{})
	if !errors.Is(err, ErrInvalidState) || !strings.Contains(err.Error(), "try again when it is available") {
		t.Errorf("pause while creating: %v", err)
	}
}
