package awsfake

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Role is an IAM role in the fake.
type Role struct {
	Name        string
	ARN         string // filled in by PutRole when empty
	TrustPolicy string
	Policies    []string // attached managed policy ARNs
	Tags        map[string]string
}

// PutRole adds or replaces a role.
func (s *Server) PutRole(r Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.ARN == "" {
		r.ARN = roleARN(r.Name)
	}
	s.roles[r.Name] = &r
}

// Role returns a copy of the named role.
func (s *Server) Role(name string) (Role, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.roles[name]
	if !ok {
		return Role{}, false
	}
	c := *r
	c.Policies = slices.Clone(r.Policies)
	c.Tags = maps.Clone(r.Tags)
	return c, true
}

func roleARN(name string) string { return "arn:aws:iam::" + AccountID + ":role/" + name }

func handleIAM(s *Server, c Call) ([]node, error) {
	p := c.Params
	name := p.Get("RoleName")
	role := s.roles[name]
	switch c.Action {
	case "GetRole":
		if role == nil {
			return nil, errf("NoSuchEntity", "The role with name %s cannot be found.", name)
		}
		return []node{role.xml()}, nil
	case "CreateRole":
		if role != nil {
			return nil, errf("EntityAlreadyExists", "Role with name %s already exists.", name)
		}
		if name == "" || p.Get("AssumeRolePolicyDocument") == "" {
			return nil, errf("ValidationError", "RoleName and AssumeRolePolicyDocument are required")
		}
		role = &Role{Name: name, ARN: roleARN(name), TrustPolicy: p.Get("AssumeRolePolicyDocument"), Tags: tags(p, "Tags.member")}
		s.roles[name] = role
		return []node{role.xml()}, nil
	case "AttachRolePolicy", "DetachRolePolicy", "DeleteRole", "ListAttachedRolePolicies":
		if role == nil {
			return nil, errf("NoSuchEntity", "The role with name %s cannot be found.", name)
		}
	default:
		return nil, errf("InvalidAction", "the fake does not implement iam %s", c.Action)
	}
	policy := p.Get("PolicyArn")
	switch c.Action {
	case "AttachRolePolicy":
		if !strings.HasPrefix(policy, "arn:aws:iam::") {
			return nil, errf("InvalidInput", "ARN %s is not valid.", policy)
		}
		if !slices.Contains(role.Policies, policy) {
			role.Policies = append(role.Policies, policy)
		}
		return nil, nil
	case "DetachRolePolicy":
		i := slices.Index(role.Policies, policy)
		if i < 0 {
			return nil, errf("NoSuchEntity", "Policy %s was not found.", policy)
		}
		role.Policies = slices.Delete(role.Policies, i, i+1)
		return nil, nil
	case "DeleteRole":
		if len(role.Policies) > 0 {
			return nil, errf("DeleteConflict", "Cannot delete entity, must detach all policies first.")
		}
		delete(s.roles, name)
		return nil, nil
	default: // ListAttachedRolePolicies
		list := el("AttachedPolicies")
		for _, arn := range role.Policies {
			list.kids = append(list.kids, el("member", tx("PolicyName", arn[strings.LastIndex(arn, "/")+1:]), tx("PolicyArn", arn)))
		}
		return []node{list, tx("IsTruncated", false)}, nil
	}
}

func (r *Role) xml() node {
	tagList := el("Tags")
	for _, k := range slices.Sorted(maps.Keys(r.Tags)) {
		tagList.kids = append(tagList.kids, el("member", tx("Key", k), tx("Value", r.Tags[k])))
	}
	return el("Role",
		tagList,
		tx("Path", "/"),
		tx("RoleName", r.Name),
		tx("RoleId", "AROAFAKE"+strings.ToUpper(r.Name)),
		tx("Arn", r.ARN),
		tx("CreateDate", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(time.RFC3339)),
		// AWS returns the trust policy URL-encoded.
		tx("AssumeRolePolicyDocument", url.QueryEscape(r.TrustPolicy)),
	)
}

// tags reads Prefix.N.Key / Prefix.N.Value parameters.
func tags(p url.Values, prefix string) map[string]string {
	keys := members(withSuffix(p, prefix, ".Key"), prefix)
	vals := members(withSuffix(p, prefix, ".Value"), prefix)
	out := map[string]string{}
	for i, k := range keys {
		if i < len(vals) {
			out[k] = vals[i]
		}
	}
	return out
}

// withSuffix maps Prefix.N<suffix> to Prefix.N so members can walk it.
func withSuffix(p url.Values, prefix, suffix string) url.Values {
	out := url.Values{}
	for k, v := range p {
		if strings.HasPrefix(k, prefix+".") && strings.HasSuffix(k, suffix) {
			out[strings.TrimSuffix(k, suffix)] = v
		}
	}
	return out
}
