package cluster

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	sltypes "github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
)

// Redshift Serverless (CLUSTER_TYPE = serverless): a namespace holds the
// database, its admin user and IAM roles; a workgroup is the compute, with
// the endpoint and the security groups. The calls and their fields are
// those of the Amazon Redshift Serverless API Reference
// (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/):
// CreateNamespace, CreateWorkgroup, GetWorkgroup, GetNamespace,
// DeleteWorkgroup, DeleteNamespace, ListTagsForResource. Workgroup states
// are CREATING, AVAILABLE, MODIFYING, DELETING; namespace states
// AVAILABLE, MODIFYING, DELETING (types.WorkgroupStatus and
// types.NamespaceStatus of service/redshiftserverless).

// getWorkgroup returns the workgroup, or nil when there is none.
func (m *Manager) getWorkgroup(ctx context.Context) (*sltypes.Workgroup, error) {
	out, err := m.Serverless.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String(m.Spec.Workgroup)})
	if hasCode(err, "ResourceNotFoundException") {
		return nil, nil
	}
	if err != nil {
		return nil, m.explain("redshift-serverless", "GetWorkgroup", err)
	}
	return out.Workgroup, nil
}

// getNamespace returns the namespace, or nil when there is none.
func (m *Manager) getNamespace(ctx context.Context) (*sltypes.Namespace, error) {
	out, err := m.Serverless.GetNamespace(ctx, &redshiftserverless.GetNamespaceInput{NamespaceName: aws.String(m.Spec.Namespace)})
	if hasCode(err, "ResourceNotFoundException") {
		return nil, nil
	}
	if err != nil {
		return nil, m.explain("redshift-serverless", "GetNamespace", err)
	}
	return out.Namespace, nil
}

// taggedSparkify reports whether the resource carries sparkify's tag.
func (m *Manager) taggedSparkify(ctx context.Context, arn *string) (bool, error) {
	out, err := m.Serverless.ListTagsForResource(ctx, &redshiftserverless.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil {
		return false, m.explain("redshift-serverless", "ListTagsForResource", err)
	}
	for _, t := range out.Tags {
		if aws.ToString(t.Key) == TagKey && aws.ToString(t.Value) == TagValue {
			return true, nil
		}
	}
	return false, nil
}

// workgroupState is the workgroup's status in the lower case of cluster
// states ("available"), or "gone".
func workgroupState(w *sltypes.Workgroup) string {
	if w == nil {
		return "gone"
	}
	return strings.ToLower(string(w.Status))
}

// serverlessInfo is what sparkify shows about a workgroup and its
// namespace (ns may be nil).
func serverlessInfo(w *sltypes.Workgroup, ns *sltypes.Namespace) *Info {
	in := &Info{
		Identifier: aws.ToString(w.WorkgroupName), State: workgroupState(w), NodeType: "serverless",
		Namespace: aws.ToString(w.NamespaceName), BaseCapacity: int(aws.ToInt32(w.BaseCapacity)),
		Public: aws.ToBool(w.PubliclyAccessible), IAMRoles: []string{}, SecurityGroups: append([]string{}, w.SecurityGroupIds...),
	}
	if w.Endpoint != nil {
		in.Host, in.Port = aws.ToString(w.Endpoint.Address), int(aws.ToInt32(w.Endpoint.Port))
	}
	if ns != nil {
		in.DBName, in.DBUser = aws.ToString(ns.DbName), aws.ToString(ns.AdminUsername)
		in.IAMRoles = append(in.IAMRoles, ns.IamRoles...)
	}
	return in
}

// workgroupTarget is portTarget for Serverless: the workgroup's first
// security group and its endpoint's port.
func (m *Manager) workgroupTarget(ctx context.Context) (string, int, bool, error) {
	w, err := m.getWorkgroup(ctx)
	if err != nil || w == nil {
		return "", 0, false, err
	}
	if len(w.SecurityGroupIds) == 0 {
		return "", 0, true, &Error{Service: "redshift-serverless", Operation: "GetWorkgroup", Kind: ErrAWS,
			Err: noClusterError{"security group on workgroup " + m.Spec.Workgroup, m.Region}}
	}
	port := m.Spec.Port
	if w.Endpoint != nil && w.Endpoint.Port != nil {
		port = int(*w.Endpoint.Port)
	}
	return w.SecurityGroupIds[0], port, true, nil
}

// serverlessStatus is Status for a workgroup.
func (m *Manager) serverlessStatus(ctx context.Context) (*Status, error) {
	w, err := m.getWorkgroup(ctx)
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, m.notFoundError()
	}
	ns, err := m.getNamespace(ctx)
	if err != nil {
		return nil, err
	}
	st := &Status{Info: *serverlessInfo(w, ns), Region: m.Region, Ingress: []Rule{}}
	st.Sparkify, err = m.taggedSparkify(ctx, w.WorkgroupArn)
	if err != nil || len(w.SecurityGroupIds) == 0 {
		return st, err
	}
	rules, err := m.ingress(ctx, w.SecurityGroupIds[0], st.Port)
	st.Ingress = append(st.Ingress, rules...)
	return st, err
}
