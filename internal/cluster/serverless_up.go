package cluster

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	sltypes "github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
)

func serverlessTags() []sltypes.Tag {
	return []sltypes.Tag{{Key: aws.String(TagKey), Value: aws.String(TagValue)}}
}

// upServerless is Up for CLUSTER_TYPE = serverless: the role, then the
// namespace (admin user and password, the role as its IAM role and
// default), then a publicly accessible workgroup of BASE_CAPACITY RPUs;
// with Wait, until the workgroup is available with an endpoint.
func (m *Manager) upServerless(ctx context.Context, opts UpOptions) (*UpResult, error) {
	res := &UpResult{}
	w, err := m.getWorkgroup(ctx)
	if err != nil {
		return nil, err
	}
	ns, err := m.getNamespace(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case w == nil || ns == nil:
		if err := m.Spec.validateForCreate(); err != nil {
			return nil, err
		}
	case workgroupState(w) == "deleting":
		return nil, fmt.Errorf("%w: workgroup %s is being deleted; wait until it is gone ('sparkify cluster status'), then run 'sparkify cluster up' again",
			ErrInvalidState, m.Spec.Workgroup)
	}
	if res.RoleARN, err = m.ensureRole(ctx, res); err != nil {
		return res, err
	}
	if ns == nil {
		if ns, err = m.createNamespace(ctx, res.RoleARN); err != nil {
			return res, err
		}
		res.NamespaceCreated = true
	}
	if w == nil {
		if w, err = m.createWorkgroup(ctx); err != nil {
			return res, err
		}
		res.ClusterCreated = true
	} else if have := int(aws.ToInt32(w.BaseCapacity)); have != m.Spec.BaseCapacity {
		res.Drift = append(res.Drift, Drift{"base capacity (BASE_CAPACITY)", strconv.Itoa(m.Spec.BaseCapacity), strconv.Itoa(have)})
	}
	for _, d := range res.Drift {
		m.logf("drift: %s", d)
	}
	if w == nil { // a dry run that would create it
		m.planNote("wait until workgroup %s is available (timeout %s)", m.Spec.Workgroup, opts.Timeout)
		return res, nil
	}
	res.Cluster = serverlessInfo(w, ns)
	if !opts.Wait || res.Available() {
		return res, nil
	}
	if m.DryRun {
		m.planNote("wait until workgroup %s is available (timeout %s)", m.Spec.Workgroup, opts.Timeout)
		return res, nil
	}
	err = m.poll(ctx, "workgroup "+m.Spec.Workgroup, "available", opts.Timeout, func(ctx context.Context) (string, bool, error) {
		w, err := m.getWorkgroup(ctx)
		if err != nil {
			return "", false, err
		}
		if w != nil {
			res.Cluster = serverlessInfo(w, ns)
		}
		switch st := workgroupState(w); st {
		case "gone", "deleting":
			return st, false, fmt.Errorf("%w: the workgroup is %s", ErrInvalidState, st)
		default:
			return st, res.Available(), nil
		}
	})
	return res, err
}

func (m *Manager) createNamespace(ctx context.Context, roleARN string) (*sltypes.Namespace, error) {
	s := m.Spec
	in := &redshiftserverless.CreateNamespaceInput{
		NamespaceName:     aws.String(s.Namespace),
		AdminUsername:     aws.String(s.DBUser),
		AdminUserPassword: aws.String(s.DBPassword.Reveal()), // only to the SDK
		DbName:            aws.String(s.DBName),
		IamRoles:          []string{roleARN},
		DefaultIamRoleArn: aws.String(roleARN),
		Tags:              serverlessTags(),
	}
	call := Call{"redshift-serverless", "CreateNamespace", []Param{{"NamespaceName", s.Namespace}, {"AdminUsername", s.DBUser},
		{"AdminUserPassword", s.DBPassword.String()}, {"DbName", s.DBName}, {"IamRoles", roleARN}, {"DefaultIamRoleArn", roleARN},
		{"Tags", TagKey + "=" + TagValue}}}
	var ns *sltypes.Namespace
	err := m.change(ctx, call, func(ctx context.Context) error {
		out, err := m.Serverless.CreateNamespace(ctx, in)
		if err == nil {
			ns = out.Namespace
		}
		return err
	})
	if err != nil {
		return nil, m.explain("redshift-serverless", "CreateNamespace", err)
	}
	return ns, nil
}

func (m *Manager) createWorkgroup(ctx context.Context) (*sltypes.Workgroup, error) {
	s := m.Spec
	in := &redshiftserverless.CreateWorkgroupInput{
		WorkgroupName: aws.String(s.Workgroup),
		NamespaceName: aws.String(s.Namespace),
		BaseCapacity:  aws.Int32(int32(s.BaseCapacity)),
		Port:          aws.Int32(int32(s.Port)),
		// open-port opens the port to chosen addresses; the workgroup must
		// have a public address for that to mean anything.
		PubliclyAccessible: aws.Bool(true),
		Tags:               serverlessTags(),
	}
	params := []Param{{"WorkgroupName", s.Workgroup}, {"NamespaceName", s.Namespace}, {"BaseCapacity", strconv.Itoa(s.BaseCapacity)},
		{"Port", strconv.Itoa(s.Port)}, {"PubliclyAccessible", "true"}}
	if len(s.SecurityGroupIDs) > 0 {
		in.SecurityGroupIds = s.SecurityGroupIDs
		params = append(params, Param{"SecurityGroupIds", fmt.Sprint(s.SecurityGroupIDs)})
	}
	params = append(params, Param{"Tags", TagKey + "=" + TagValue})
	var w *sltypes.Workgroup
	err := m.change(ctx, Call{"redshift-serverless", "CreateWorkgroup", params}, func(ctx context.Context) error {
		out, err := m.Serverless.CreateWorkgroup(ctx, in)
		if err == nil {
			w = out.Workgroup
		}
		return err
	})
	if err != nil {
		return nil, m.explain("redshift-serverless", "CreateWorkgroup", err)
	}
	return w, nil
}
