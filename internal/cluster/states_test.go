package cluster

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
)

// A down that asked for a final snapshot leaves the cluster in
// final-snapshot, then deleting ("If a final cluster snapshot is requested
// the status of the cluster will be final-snapshot while the snapshot is
// being taken, then it's deleting": DeleteCluster, AWS SDK for .NET API
// reference, https://docs.aws.amazon.com/sdkfornet1/latest/apidocs/html/M_Amazon_Redshift_AmazonRedshift_DeleteCluster.htm;
// final-snapshot is in the list of Cluster.clusterStatus values, AWS SDK
// for Kotlin API reference,
// https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/redshift/aws.sdk.kotlin.services.redshift.model/-cluster/cluster-status.html).
// A second down run meanwhile waits for it and never calls DeleteCluster
// again (AWS would answer InvalidClusterState).
func TestDownWaitsThroughFinalSnapshot(t *testing.T) {
	r := newRig(t)
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	r.fake.SetTransitionPolls(1 << 30)
	_, err := r.m.Down(ctx(t), DownOptions{FinalSnapshot: "last", Timeout: 5 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "still final-snapshot") {
		t.Fatalf("err = %v, want a timeout in final-snapshot", err)
	}
	if cl, _ := r.fake.Cluster("sparkify-test"); cl.Status != "final-snapshot" || cl.FinalSnapshot != "last" {
		t.Fatalf("cluster %+v", cl)
	}
	r.fake.ResetCalls()
	if _, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second}); !errors.Is(err, ErrInvalidState) || !strings.Contains(err.Error(), "being deleted (final-snapshot)") {
		t.Errorf("up while final-snapshot: %v", err)
	}
	r.noMutations(t, "up while final-snapshot")
	r.fake.SetTransitionPolls(2) // still final-snapshot for this down's first looks
	r.states = nil
	res, err := r.m.Down(ctx(t), DownOptions{FinalSnapshot: "last", Timeout: time.Second})
	if err != nil || res.ClusterDeleted || !res.RoleDeleted {
		t.Fatalf("second down: %+v, %v", res, err)
	}
	if n := r.fake.Count("DeleteCluster"); n != 0 {
		t.Errorf("the second down called DeleteCluster %d times, want 0", n)
	}
	if !slices.Contains(r.states, "deleting") || !strings.Contains(r.logText(), "already final-snapshot") {
		t.Errorf("states %v, log %q", r.states, r.logText())
	}
}

// Just after ResumeCluster, DescribeClusters may still say paused:
// resume --wait waits through it to available instead of giving up.
func TestResumeWaitsThroughPaused(t *testing.T) {
	r := newRig(t)
	r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test", Status: "paused"})
	r.fake.SetStalePolls(2)
	res, err := r.m.Resume(ctx(t), WaitOptions{Wait: true, Timeout: time.Second})
	if err != nil || !res.Changed || res.Cluster.State != "available" {
		t.Fatalf("resume: %+v, %v", res, err)
	}
	if want := []string{"paused", "paused", "available"}; !slices.Equal(r.states, want) {
		t.Errorf("states %v, want %v", r.states, want)
	}
}

// Pause needs an available cluster and resume a paused one (PauseCluster
// and ResumeCluster answer InvalidClusterState otherwise: Amazon Redshift
// API Reference, https://docs.aws.amazon.com/goto/WebAPI/redshift/PauseCluster
// and https://docs.amazonaws.cn/redshift/latest/APIReference/API_ResumeCluster.html).
// sparkify looks first and says so, making no call.
func TestPauseAndResumeCheckTheStateFirst(t *testing.T) {
	for _, tc := range []struct {
		state, verb, want string
	}{
		{"creating", "pause", "cluster sparkify-test is creating; only an available cluster can be paused"},
		{"final-snapshot", "pause", "is final-snapshot; only an available cluster can be paused"},
		{"pausing", "resume", "cluster sparkify-test is pausing; only a paused cluster can be resumed"},
		{"modifying", "resume", "is modifying; only a paused cluster can be resumed"},
	} {
		r := newRig(t)
		r.fake.PutCluster(awsfake.Cluster{Identifier: "sparkify-test", Status: tc.state})
		do := r.m.Pause
		if tc.verb == "resume" {
			do = r.m.Resume
		}
		_, err := do(ctx(t), WaitOptions{Wait: true, Timeout: time.Second})
		if !errors.Is(err, ErrInvalidState) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s when %s: %v, want %q", tc.verb, tc.state, err, tc.want)
		}
		r.noMutations(t, tc.verb+" when "+tc.state)
	}
}

// [CLUSTER] SUBNET_GROUP and SECURITY_GROUP_IDS reach CreateCluster as
// ClusterSubnetGroupName and VpcSecurityGroupIds ("To create a cluster in
// Virtual Private Cloud (VPC), you must provide a cluster subnet group
// name": CreateCluster, Amazon Redshift API Reference,
// https://docs.amazonaws.cn/redshift/latest/APIReference/API_CreateCluster.html;
// the wire names VpcSecurityGroupIds.VpcSecurityGroupId.N are the SDK's
// serializer's).
func TestCreateClusterInChosenVPC(t *testing.T) {
	r := newRig(t)
	r.m.Spec.SubnetGroup = "sparkify-subnets"
	r.m.Spec.SecurityGroupIDs = []string{"sg-0aaa", "sg-0bbb"}
	if _, err := r.m.Up(ctx(t), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	cl, _ := r.fake.Cluster("sparkify-test")
	if cl.SubnetGroup != "sparkify-subnets" || !slices.Equal(cl.SecurityGroups, []string{"sg-0aaa", "sg-0bbb"}) {
		t.Errorf("cluster %+v", cl)
	}
	plain := newRig(t)
	if _, err := plain.m.Up(ctx(t), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range plain.fake.Calls() {
		if c.Action == "CreateCluster" && (c.Params.Has("ClusterSubnetGroupName") || c.Params.Has("VpcSecurityGroupIds.VpcSecurityGroupId.1")) {
			t.Errorf("unset placement sent: %v", c.Params)
		}
	}
}
