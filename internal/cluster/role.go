package cluster

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TrustPolicy lets Redshift assume the role.
const TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"redshift.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// RoleInfo is what sparkify shows about the IAM role.
type RoleInfo struct {
	Name     string   `json:"name"`
	ARN      string   `json:"arn"`
	Policies []string `json:"attached_policies"`
}

// getRole returns the role, or nil when there is none.
func (m *Manager) getRole(ctx context.Context) (*iamtypes.Role, error) {
	out, err := m.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(m.Spec.RoleName)})
	if hasCode(err, "NoSuchEntity") {
		return nil, nil
	}
	if err != nil {
		return nil, m.explain("iam", "GetRole", err)
	}
	return out.Role, nil
}

// attachedPolicies lists the managed policies attached to the role.
func (m *Manager) attachedPolicies(ctx context.Context) ([]string, error) {
	var arns []string
	p := iam.NewListAttachedRolePoliciesPaginator(m.IAM, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(m.Spec.RoleName)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, m.explain("iam", "ListAttachedRolePolicies", err)
		}
		for _, a := range page.AttachedPolicies {
			arns = append(arns, aws.ToString(a.PolicyArn))
		}
	}
	return arns, nil
}

// Role returns the role's name, ARN and attached policies.
func (m *Manager) Role(ctx context.Context) (*RoleInfo, error) {
	r, err := m.getRole(ctx)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, &Error{Service: "iam", Operation: "GetRole", Code: "NoSuchEntity", Kind: ErrRoleNotFound,
			Err: errNoRole(m.Spec.RoleName), Hint: "run 'sparkify cluster up'"}
	}
	pols, err := m.attachedPolicies(ctx)
	if err != nil {
		return nil, err
	}
	return &RoleInfo{Name: aws.ToString(r.RoleName), ARN: aws.ToString(r.Arn), Policies: pols}, nil
}

type noRoleError string

func (e noRoleError) Error() string { return "no IAM role named " + string(e) }

func errNoRole(name string) error { return noRoleError(name) }

// ensureRole creates the role when missing and attaches the policy when
// not attached yet. It returns the role's ARN (a placeholder in a dry run
// that would create it).
func (m *Manager) ensureRole(ctx context.Context, res *UpResult) (string, error) {
	name := m.Spec.RoleName
	r, err := m.getRole(ctx)
	if err != nil {
		return "", err
	}
	var arn string
	var attached []string
	if r == nil {
		arn, err = m.createRole(ctx)
		if err != nil {
			return "", err
		}
		res.RoleCreated = true
	} else {
		arn = aws.ToString(r.Arn)
		if doc, err := url.QueryUnescape(aws.ToString(r.AssumeRolePolicyDocument)); err == nil && !strings.Contains(doc, "redshift.amazonaws.com") {
			res.Drift = append(res.Drift, Drift{Field: "role trust policy", Want: "redshift.amazonaws.com may assume it", Have: "Redshift is not a trusted principal"})
		}
		if attached, err = m.attachedPolicies(ctx); err != nil {
			return "", err
		}
	}
	if slices.Contains(attached, m.Spec.PolicyARN) {
		return arn, nil
	}
	err = m.change(ctx, Call{"iam", "AttachRolePolicy", []Param{{"RoleName", name}, {"PolicyArn", m.Spec.PolicyARN}}},
		func(ctx context.Context) error {
			_, err := m.IAM.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(m.Spec.PolicyARN)})
			return err
		})
	if err != nil {
		return "", m.explain("iam", "AttachRolePolicy", err)
	}
	res.PolicyAttached = true
	return arn, nil
}

func (m *Manager) createRole(ctx context.Context) (string, error) {
	name := m.Spec.RoleName
	arn := "arn:aws:iam::ACCOUNT:role/" + name // what a dry run shows
	call := Call{"iam", "CreateRole", []Param{{"RoleName", name}, {"AssumeRolePolicyDocument", "trust redshift.amazonaws.com"}, {"Tags", TagKey + "=" + TagValue}}}
	err := m.change(ctx, call, func(ctx context.Context) error {
		out, err := m.IAM.CreateRole(ctx, &iam.CreateRoleInput{
			RoleName:                 aws.String(name),
			AssumeRolePolicyDocument: aws.String(TrustPolicy),
			Description:              aws.String("Lets Amazon Redshift read sparkify's input from S3"),
			Tags:                     []iamtypes.Tag{{Key: aws.String(TagKey), Value: aws.String(TagValue)}},
		})
		if err == nil {
			arn = aws.ToString(out.Role.Arn)
		}
		return err
	})
	if hasCode(err, "EntityAlreadyExists") { // created meanwhile: reuse it
		r, gerr := m.getRole(ctx)
		if gerr != nil || r == nil {
			return "", m.explain("iam", "CreateRole", err)
		}
		return aws.ToString(r.Arn), nil
	}
	if err != nil {
		return "", m.explain("iam", "CreateRole", err)
	}
	return arn, nil
}

// roleIsSparkifys reports whether the role carries sparkify's tag
// (GetRole returns the role's Tags).
func roleIsSparkifys(r *iamtypes.Role) bool {
	for _, t := range r.Tags {
		if aws.ToString(t.Key) == TagKey && aws.ToString(t.Value) == TagValue {
			return true
		}
	}
	return false
}

// deleteRole detaches the policy and deletes the role; what is already
// gone counts as done. A role without sparkify's tag (made by someone
// else, and reused by up) only loses the policy up attached: it is kept.
func (m *Manager) deleteRole(ctx context.Context, res *DownResult) error {
	name := m.Spec.RoleName
	r, err := m.getRole(ctx)
	if err != nil || r == nil {
		return err
	}
	ours := roleIsSparkifys(r)
	attached, err := m.attachedPolicies(ctx)
	if err != nil {
		return err
	}
	if slices.Contains(attached, m.Spec.PolicyARN) {
		err := m.change(ctx, Call{"iam", "DetachRolePolicy", []Param{{"RoleName", name}, {"PolicyArn", m.Spec.PolicyARN}}},
			func(ctx context.Context) error {
				_, err := m.IAM.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(m.Spec.PolicyARN)})
				return err
			})
		if err != nil && !hasCode(err, "NoSuchEntity") {
			return m.explain("iam", "DetachRolePolicy", err)
		}
		res.PolicyDetached = true
	}
	if !ours {
		res.RoleKept = true
		m.logf("role %s has no %s=%s tag: sparkify did not create it, so it only detached %s and kept the role", name, TagKey, TagValue, m.Spec.PolicyARN)
		return nil
	}
	err = m.change(ctx, Call{"iam", "DeleteRole", []Param{{"RoleName", name}}}, func(ctx context.Context) error {
		_, err := m.IAM.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
		return err
	})
	switch {
	case hasCode(err, "NoSuchEntity"):
	case hasCode(err, "DeleteConflict"):
		e := m.explain("iam", "DeleteRole", err).(*Error)
		e.Hint = "the role still has other policies or instance profiles that sparkify did not attach: detach them (IAM console) and run 'sparkify cluster down' again"
		return e
	case err != nil:
		return m.explain("iam", "DeleteRole", err)
	default:
		res.RoleDeleted = true
	}
	return nil
}
