package cluster

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
	"github.com/sparkify/sparkify/internal/config"
)

const otherPolicy = "arn:aws:iam::123456789012:policy/team-data-read"

// up marks everything it makes as sparkify's: the role with the tag
// created-by=sparkify (the SDK's iam.CreateRoleInput.Tags; GetRole answers
// with them in Role.Tags: get_role's response syntax, boto3 reference,
// https://boto3.amazonaws.com/v1/documentation/api/1.26.115/reference/services/iam/client/get_role.html),
// the cluster with the same tag (redshift.CreateClusterInput.Tags), and
// the port rule with the description "sparkify" (ec2 types.IpRange
// Description).
func TestUpTagsWhatItCreates(t *testing.T) {
	r := newRig(t)
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.OpenPort(ctx(t), OpenPortOptions{CIDR: "198.51.100.9"}); err != nil {
		t.Fatal(err)
	}
	role, _ := r.fake.Role("sparkify-role")
	cl, _ := r.fake.Cluster("sparkify-test")
	g, _ := r.fake.Group(awsfake.DefaultGroup)
	if role.Tags[TagKey] != TagValue || cl.Tags[TagKey] != TagValue || len(g.Ingress) != 1 || g.Ingress[0].Description != RuleDescription {
		t.Errorf("role tags %v, cluster tags %v, rules %+v", role.Tags, cl.Tags, g.Ingress)
	}
	st, err := r.m.Status(ctx(t))
	if err != nil || !st.Sparkify {
		t.Errorf("status does not see the cluster's tag: %+v, %v", st, err)
	}
}

// A role sparkify did not create (no tag), reused by up: down detaches
// only the policy up attached, keeps the role and its other policies, and
// says so.
func TestDownKeepsARoleItDidNotCreate(t *testing.T) {
	r := newRig(t)
	r.fake.PutRole(awsfake.Role{Name: "sparkify-role", TrustPolicy: TrustPolicy, Policies: []string{otherPolicy}})
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	res, err := r.m.Down(ctx(t), DownOptions{Timeout: time.Second})
	if err != nil || !res.ClusterDeleted || !res.PolicyDetached || res.RoleDeleted || !res.RoleKept {
		t.Fatalf("down: %+v, %v", res, err)
	}
	role, ok := r.fake.Role("sparkify-role")
	if !ok || !slices.Equal(role.Policies, []string{otherPolicy}) || r.fake.Count("DeleteRole") != 0 {
		t.Errorf("role %+v (exists %v), %d DeleteRole", role, ok, r.fake.Count("DeleteRole"))
	}
	if !strings.Contains(r.logText(), "sparkify did not create it, so it only detached "+config.DefaultS3PolicyARN+" and kept the role") {
		t.Errorf("log %q", r.logText())
	}
}

// A cluster without sparkify's tag is not deleted (nor its role touched)
// unless DeleteUntagged (--delete-untagged) says so.
func TestDownKeepsAnUntaggedClusterUnlessAsked(t *testing.T) {
	r := newRig(t)
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test"})
	r.fake.PutRole(awsfake.Role{Name: "sparkify-role", TrustPolicy: TrustPolicy, Policies: []string{config.DefaultS3PolicyARN},
		Tags: map[string]string{TagKey: TagValue}})
	res, err := r.m.Down(ctx(t), DownOptions{Timeout: time.Second})
	if err != nil || !res.ClusterKept || res.ClusterDeleted || res.RoleDeleted || res.PolicyDetached {
		t.Fatalf("down: %+v, %v", res, err)
	}
	r.noMutations(t, "down of an untagged cluster")
	if !strings.Contains(r.logText(), "cluster sparkify-test has no created-by=sparkify tag") {
		t.Errorf("log %q", r.logText())
	}
	res, err = r.m.Down(ctx(t), DownOptions{Timeout: time.Second, DeleteUntagged: true})
	if err != nil || res.ClusterKept || !res.ClusterDeleted || !res.RoleDeleted {
		t.Fatalf("down --delete-untagged: %+v, %v", res, err)
	}
	if _, ok := r.fake.Cluster("sparkify-test"); ok {
		t.Error("cluster still there")
	}
}
