package awsfake

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
)

// SecurityGroup is a VPC security group in the fake.
type SecurityGroup struct {
	ID, Name, VPCID string
	Ingress         []Rule
}

// Rule is one ingress permission for one address range.
type Rule struct {
	Protocol         string
	FromPort, ToPort int
	CIDR             string // IPv4 or IPv6
	Description      string
}

func (r Rule) same(o Rule) bool {
	return r.Protocol == o.Protocol && r.FromPort == o.FromPort && r.ToPort == o.ToPort && r.CIDR == o.CIDR
}

// AddIngress adds a rule to a security group, creating the group when
// missing.
func (s *Server) AddIngress(groupID string, r Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[groupID]
	if g == nil {
		g = &SecurityGroup{ID: groupID, Name: groupID, VPCID: DefaultVPC}
		s.groups[groupID] = g
	}
	g.Ingress = append(g.Ingress, r)
}

// Group returns a copy of a security group.
func (s *Server) Group(id string) (SecurityGroup, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	if !ok {
		return SecurityGroup{}, false
	}
	c := *g
	c.Ingress = slices.Clone(g.Ingress)
	return c, true
}

func handleEC2(s *Server, c Call) ([]node, error) {
	switch c.Action {
	case "DescribeSecurityGroups":
		ids := members(c.Params, "GroupId")
		list := el("securityGroupInfo")
		for _, id := range ids {
			g := s.groups[id]
			if g == nil {
				return nil, errf("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
			}
			list.kids = append(list.kids, g.xml())
		}
		return []node{list}, nil
	case "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress":
	default:
		return nil, errf("InvalidAction", "the fake does not implement ec2 %s", c.Action)
	}
	id := c.Params.Get("GroupId")
	g := s.groups[id]
	if g == nil {
		return nil, errf("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
	}
	rules := permissions(c.Params)
	if len(rules) == 0 {
		return nil, errf("MissingParameter", "no IpPermissions given")
	}
	if c.Action == "AuthorizeSecurityGroupIngress" {
		for _, r := range rules {
			if slices.ContainsFunc(g.Ingress, r.same) {
				return nil, errf("InvalidPermission.Duplicate", "the specified rule \"peer: %s, TCP, from port: %d, to port: %d, ALLOW\" already exists", r.CIDR, r.FromPort, r.ToPort)
			}
		}
		g.Ingress = append(g.Ingress, rules...)
		return []node{tx("return", true)}, nil
	}
	for _, r := range rules {
		if !slices.ContainsFunc(g.Ingress, r.same) {
			return nil, errf("InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		}
	}
	for _, r := range rules {
		g.Ingress = slices.DeleteFunc(g.Ingress, r.same)
	}
	return []node{tx("return", true)}, nil
}

// permissions reads IpPermissions.N.* parameters, one Rule per range.
func permissions(p url.Values) []Rule {
	var out []Rule
	for i := 1; ; i++ {
		pre := fmt.Sprintf("IpPermissions.%d.", i)
		proto := p.Get(pre + "IpProtocol")
		if proto == "" {
			return out
		}
		from, _ := strconv.Atoi(p.Get(pre + "FromPort"))
		to, _ := strconv.Atoi(p.Get(pre + "ToPort"))
		for j := 1; ; j++ {
			cidr := p.Get(fmt.Sprintf("%sIpRanges.%d.CidrIp", pre, j))
			if cidr == "" {
				break
			}
			out = append(out, Rule{proto, from, to, cidr, p.Get(fmt.Sprintf("%sIpRanges.%d.Description", pre, j))})
		}
		for j := 1; ; j++ {
			cidr := p.Get(fmt.Sprintf("%sIpv6Ranges.%d.CidrIpv6", pre, j))
			if cidr == "" {
				break
			}
			out = append(out, Rule{proto, from, to, cidr, p.Get(fmt.Sprintf("%sIpv6Ranges.%d.Description", pre, j))})
		}
	}
}

func (g *SecurityGroup) xml() node {
	perms := el("ipPermissions")
	for _, r := range g.Ingress {
		v4, v6 := el("ipRanges"), el("ipv6Ranges")
		if isV6(r.CIDR) {
			v6.kids = append(v6.kids, el("item", tx("cidrIpv6", r.CIDR), tx("description", r.Description)))
		} else {
			v4.kids = append(v4.kids, el("item", tx("cidrIp", r.CIDR), tx("description", r.Description)))
		}
		perms.kids = append(perms.kids, el("item",
			tx("ipProtocol", r.Protocol), tx("fromPort", r.FromPort), tx("toPort", r.ToPort),
			el("groups"), v4, v6, el("prefixListIds")))
	}
	return el("item",
		tx("ownerId", AccountID), tx("groupId", g.ID), tx("groupName", g.Name),
		tx("groupDescription", "fake group"), tx("vpcId", g.VPCID), perms, el("ipPermissionsEgress"))
}

func isV6(cidr string) bool { return slices.Contains([]byte(cidr), ':') }
