package cluster

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	sltypes "github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
)

// downServerless is Down for CLUSTER_TYPE = serverless, after the port is
// closed: DeleteWorkgroup and wait until it is gone, then DeleteNamespace
// (refused while a workgroup uses it) and wait, then the role. Only what
// carries sparkify's tag is deleted, as for a cluster.
func (m *Manager) downServerless(ctx context.Context, opts DownOptions, res *DownResult) (*DownResult, error) {
	w, err := m.getWorkgroup(ctx)
	if err != nil {
		return res, err
	}
	if w != nil {
		if kept, err := m.keepUntagged(ctx, w.WorkgroupArn, "workgroup "+m.Spec.Workgroup, opts); err != nil || kept {
			res.ClusterKept = kept
			return res, err
		}
		if workgroupState(w) != "deleting" {
			err := m.change(ctx, Call{"redshift-serverless", "DeleteWorkgroup", []Param{{"WorkgroupName", m.Spec.Workgroup}}}, func(ctx context.Context) error {
				_, err := m.Serverless.DeleteWorkgroup(ctx, &redshiftserverless.DeleteWorkgroupInput{WorkgroupName: aws.String(m.Spec.Workgroup)})
				return err
			})
			if err != nil && !hasCode(err, "ResourceNotFoundException") {
				return res, m.explain("redshift-serverless", "DeleteWorkgroup", err)
			}
			res.ClusterDeleted = err == nil
		}
		if err := m.waitGone(ctx, "workgroup "+m.Spec.Workgroup, opts, func(ctx context.Context) (string, error) {
			w, err := m.getWorkgroup(ctx)
			return workgroupState(w), err
		}); err != nil {
			return res, err
		}
	}
	ns, err := m.getNamespace(ctx)
	if err != nil {
		return res, err
	}
	if ns != nil {
		if kept, err := m.keepUntagged(ctx, ns.NamespaceArn, "namespace "+m.Spec.Namespace, opts); err != nil || kept {
			res.ClusterKept = kept
			return res, err
		}
		if err := m.deleteNamespace(ctx, ns, opts, res); err != nil {
			return res, err
		}
	}
	return res, m.deleteRole(ctx, res)
}

func (m *Manager) deleteNamespace(ctx context.Context, ns *sltypes.Namespace, opts DownOptions, res *DownResult) error {
	if ns.Status != sltypes.NamespaceStatusDeleting {
		in := &redshiftserverless.DeleteNamespaceInput{NamespaceName: aws.String(m.Spec.Namespace)}
		params := []Param{{"NamespaceName", m.Spec.Namespace}}
		if opts.FinalSnapshot != "" {
			in.FinalSnapshotName = aws.String(opts.FinalSnapshot)
			params = append(params, Param{"FinalSnapshotName", opts.FinalSnapshot})
		}
		err := m.change(ctx, Call{"redshift-serverless", "DeleteNamespace", params}, func(ctx context.Context) error {
			_, err := m.Serverless.DeleteNamespace(ctx, in)
			return err
		})
		if err != nil && !hasCode(err, "ResourceNotFoundException") {
			return m.explain("redshift-serverless", "DeleteNamespace", err)
		}
		res.NamespaceDeleted = err == nil
	}
	return m.waitGone(ctx, "namespace "+m.Spec.Namespace, opts, func(ctx context.Context) (string, error) {
		ns, err := m.getNamespace(ctx)
		if ns == nil {
			return "gone", err
		}
		return string(ns.Status), err
	})
}

// keepUntagged reports (and says) that a resource without sparkify's tag
// is kept, unless DeleteUntagged.
func (m *Manager) keepUntagged(ctx context.Context, arn *string, what string, opts DownOptions) (bool, error) {
	if opts.DeleteUntagged {
		return false, nil
	}
	ours, err := m.taggedSparkify(ctx, arn)
	if err != nil || ours {
		return false, err
	}
	m.logf("%s has no %s=%s tag: sparkify did not create it, so it is kept, with the role (--delete-untagged deletes it)", what, TagKey, TagValue)
	return true, nil
}

// waitGone polls state until it says "gone" (a dry run only says it
// would).
func (m *Manager) waitGone(ctx context.Context, what string, opts DownOptions, state func(context.Context) (string, error)) error {
	if m.DryRun {
		m.planNote("wait until %s is gone (timeout %s)", what, opts.Timeout)
		return nil
	}
	return m.poll(ctx, what, "gone", opts.Timeout, func(ctx context.Context) (string, bool, error) {
		st, err := state(ctx)
		if err != nil {
			return "", false, err
		}
		return st, st == "gone", nil
	})
}
