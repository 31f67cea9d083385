package cluster

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
)

// DownOptions tune Down.
type DownOptions struct {
	// FinalSnapshot names a snapshot to take before deletion; "" takes none.
	FinalSnapshot string
	// Timeout bounds the wait for the cluster to be gone.
	Timeout time.Duration
	// DeleteUntagged deletes the cluster even without sparkify's tag
	// (created-by=sparkify), that is, one sparkify did not create.
	DeleteUntagged bool
}

// DownResult says what Down removed.
type DownResult struct {
	PortRules      []Rule `json:"port_rules_closed"`
	ClusterDeleted bool   `json:"cluster_deleted"` // DeleteCluster was called
	PolicyDetached bool   `json:"policy_detached"`
	RoleDeleted    bool   `json:"role_deleted"`
	// ClusterKept and RoleKept are true when they exist but lack
	// sparkify's tag, so down left them (the role without its policy).
	ClusterKept bool `json:"cluster_kept"`
	RoleKept    bool `json:"role_kept"`
	// NamespaceDeleted is true when DeleteNamespace was called (Serverless).
	NamespaceDeleted bool `json:"namespace_deleted,omitempty"`
}

// Down closes the port, deletes the cluster, waits until it is gone, then
// detaches the policy and deletes the role. Only what carries sparkify's
// tag is deleted: a cluster without it is kept (and its role untouched)
// unless DeleteUntagged; a role without it only loses the policy. Whatever is already gone
// counts as done, so it can run again after a partial failure.
func (m *Manager) Down(ctx context.Context, opts DownOptions) (*DownResult, error) {
	res := &DownResult{}
	ports, err := m.ClosePort(ctx)
	if err != nil {
		return res, err
	}
	res.PortRules = ports.Rules
	if m.Spec.Serverless {
		return m.downServerless(ctx, opts, res)
	}
	c, err := m.describe(ctx)
	if err != nil {
		return res, err
	}
	switch {
	case c == nil:
	case !infoOf(c).Sparkify && !opts.DeleteUntagged:
		res.ClusterKept = true
		m.logf("cluster %s has no %s=%s tag: sparkify did not create it, so it is kept (--delete-untagged deletes it)", m.Spec.Identifier, TagKey, TagValue)
	case state(c) == "deleting" || state(c) == "final-snapshot":
		// A down already under way (interrupted, or taking its final
		// snapshot): a second DeleteCluster would be refused; wait for it.
		m.logf("cluster %s is already %s: waiting for it to be gone", m.Spec.Identifier, state(c))
	default:
		in := &redshift.DeleteClusterInput{ClusterIdentifier: aws.String(m.Spec.Identifier), SkipFinalClusterSnapshot: aws.Bool(true)}
		params := []Param{{"ClusterIdentifier", m.Spec.Identifier}, {"SkipFinalClusterSnapshot", "true"}}
		if opts.FinalSnapshot != "" {
			in.SkipFinalClusterSnapshot = aws.Bool(false)
			in.FinalClusterSnapshotIdentifier = aws.String(opts.FinalSnapshot)
			params = []Param{{"ClusterIdentifier", m.Spec.Identifier}, {"SkipFinalClusterSnapshot", "false"}, {"FinalClusterSnapshotIdentifier", opts.FinalSnapshot}}
		}
		err := m.change(ctx, Call{"redshift", "DeleteCluster", params}, func(ctx context.Context) error {
			_, err := m.Redshift.DeleteCluster(ctx, in)
			return err
		})
		if err != nil && !hasCode(err, "ClusterNotFound") {
			return res, m.explain("redshift", "DeleteCluster", err)
		}
		res.ClusterDeleted = err == nil
	}
	if c != nil && !res.ClusterKept {
		if m.DryRun {
			m.planNote("wait until cluster %s is gone (timeout %s)", m.Spec.Identifier, opts.Timeout)
		} else if _, err := m.wait(ctx, goalDeleted, opts.Timeout); err != nil {
			return res, err
		}
	}
	if res.ClusterKept {
		// The kept cluster may still read S3 through the role.
		m.logf("role %s left as it is, for the kept cluster", m.Spec.RoleName)
		return res, nil
	}
	return res, m.deleteRole(ctx, res)
}
