package cluster

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/redshift/types"
)

// RuleDescription marks the ingress rules sparkify adds, so close-port
// removes those and nothing else.
const RuleDescription = "sparkify"

// Rule is one ingress rule that lets addresses reach the database port.
type Rule struct {
	GroupID     string `json:"group_id"`
	Protocol    string `json:"protocol"`
	FromPort    int    `json:"from_port"`
	ToPort      int    `json:"to_port"`
	CIDR        string `json:"cidr"`
	Description string `json:"description,omitempty"`
	// Sparkify is true for the rules open-port added.
	Sparkify bool `json:"added_by_sparkify"`
}

// PortResult says what open-port or close-port did.
type PortResult struct {
	GroupID string `json:"group_id"`
	Port    int    `json:"port"`
	Rules   []Rule `json:"rules"`   // the rules added or removed
	Changed bool   `json:"changed"` // false when nothing needed doing
}

// OpenPortOptions tune OpenPort.
type OpenPortOptions struct {
	CIDR          string // "" means the caller's public address /32
	AllowAnywhere bool
}

// dbPort is the cluster's port, or the configured one.
func (m *Manager) dbPort(c *types.Cluster) int {
	if c != nil && c.Endpoint != nil && c.Endpoint.Port != nil {
		return int(*c.Endpoint.Port)
	}
	return m.Spec.Port
}

func securityGroup(c *types.Cluster) (string, error) {
	for _, g := range c.VpcSecurityGroups {
		if aws.ToString(g.Status) == "" || aws.ToString(g.Status) == "active" {
			return aws.ToString(g.VpcSecurityGroupId), nil
		}
	}
	return "", fmt.Errorf("cluster %s has no active VPC security group to open", aws.ToString(c.ClusterIdentifier))
}

// OpenPort lets one address range reach the database port through the
// cluster's VPC security group. An already-open rule is a success.
func (m *Manager) OpenPort(ctx context.Context, opts OpenPortOptions) (*PortResult, error) {
	cidr := opts.CIDR
	if cidr == "" {
		addr, err := PublicIP(ctx, m.httpClient(), m.IPURL)
		if err != nil {
			return nil, err
		}
		cidr = addr.String()
	}
	prefix, err := ParseCIDR(cidr, opts.AllowAnywhere)
	if err != nil {
		return nil, err
	}
	group, port, err := m.mustTarget(ctx)
	if err != nil {
		return nil, err
	}
	rule := Rule{GroupID: group, Protocol: "tcp", FromPort: port, ToPort: port, CIDR: prefix.String(), Description: RuleDescription, Sparkify: true}
	res := &PortResult{GroupID: group, Port: port, Rules: []Rule{rule}, Changed: true}
	call := Call{"ec2", "AuthorizeSecurityGroupIngress", []Param{{"GroupId", group}, {"IpProtocol", "tcp"},
		{"FromPort", strconv.Itoa(port)}, {"ToPort", strconv.Itoa(port)}, {"Cidr", prefix.String()}, {"Description", RuleDescription}}}
	err = m.change(ctx, call, func(ctx context.Context) error {
		_, err := m.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
			GroupId: aws.String(group), IpPermissions: []ec2types.IpPermission{permission(rule)}})
		return err
	})
	if hasCode(err, "InvalidPermission.Duplicate") {
		res.Changed = false
		return res, nil
	}
	if err != nil {
		return nil, m.explain("ec2", "AuthorizeSecurityGroupIngress", err)
	}
	return res, nil
}

// permission is the EC2 form of one rule.
func permission(r Rule) ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: aws.String(r.Protocol), FromPort: aws.Int32(int32(r.FromPort)), ToPort: aws.Int32(int32(r.ToPort))}
	if isIPv6(r.CIDR) {
		p.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(r.CIDR), Description: nilIfEmpty(r.Description)}}
	} else {
		p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(r.CIDR), Description: nilIfEmpty(r.Description)}}
	}
	return p
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func isIPv6(cidr string) bool { return strings.Contains(cidr, ":") }

// portTarget is the security group and database port of what sparkify
// opens: the cluster's, or the Serverless workgroup's. found is false
// when there is no cluster (or workgroup).
func (m *Manager) portTarget(ctx context.Context) (group string, port int, found bool, err error) {
	if m.Spec.Serverless {
		return m.workgroupTarget(ctx)
	}
	c, err := m.describe(ctx)
	if err != nil || c == nil {
		return "", 0, false, err
	}
	group, err = securityGroup(c)
	return group, m.dbPort(c), true, err
}

// mustTarget is portTarget for verbs that need a cluster.
func (m *Manager) mustTarget(ctx context.Context) (string, int, error) {
	group, port, found, err := m.portTarget(ctx)
	if err == nil && !found {
		err = m.notFoundError()
	}
	return group, port, err
}

// ingress lists the rules of the security group that let addresses reach
// the database port.
func (m *Manager) ingress(ctx context.Context, group string, port int) ([]Rule, error) {
	out, err := m.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{group}})
	if hasCode(err, "InvalidGroup.NotFound") {
		return nil, nil
	}
	if err != nil {
		return nil, m.explain("ec2", "DescribeSecurityGroups", err)
	}
	var rules []Rule
	for _, g := range out.SecurityGroups {
		for _, p := range g.IpPermissions {
			proto := aws.ToString(p.IpProtocol)
			from, to := int(aws.ToInt32(p.FromPort)), int(aws.ToInt32(p.ToPort))
			all := proto == "-1"
			if !all && (proto != "tcp" && proto != "6" || port < from || port > to) {
				continue
			}
			add := func(cidr, desc string) {
				rules = append(rules, Rule{GroupID: aws.ToString(g.GroupId), Protocol: proto, FromPort: from, ToPort: to,
					CIDR: cidr, Description: desc, Sparkify: desc == RuleDescription})
			}
			for _, r := range p.IpRanges {
				add(aws.ToString(r.CidrIp), aws.ToString(r.Description))
			}
			for _, r := range p.Ipv6Ranges {
				add(aws.ToString(r.CidrIpv6), aws.ToString(r.Description))
			}
		}
	}
	return rules, nil
}

// ClosePort removes the rules open-port added (those described
// "sparkify") on the database port. No cluster or no rule is a success.
func (m *Manager) ClosePort(ctx context.Context) (*PortResult, error) {
	group, port, found, err := m.portTarget(ctx)
	if err != nil || !found {
		return &PortResult{}, err
	}
	rules, err := m.ingress(ctx, group, port)
	if err != nil {
		return nil, err
	}
	res := &PortResult{Port: port, GroupID: group}
	for _, r := range rules {
		if !r.Sparkify {
			continue
		}
		call := Call{"ec2", "RevokeSecurityGroupIngress", []Param{{"GroupId", r.GroupID}, {"IpProtocol", r.Protocol},
			{"FromPort", strconv.Itoa(r.FromPort)}, {"ToPort", strconv.Itoa(r.ToPort)}, {"Cidr", r.CIDR}}}
		err := m.change(ctx, call, func(ctx context.Context) error {
			_, err := m.EC2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{
				GroupId: aws.String(r.GroupID), IpPermissions: []ec2types.IpPermission{permission(Rule{Protocol: r.Protocol, FromPort: r.FromPort, ToPort: r.ToPort, CIDR: r.CIDR})}})
			return err
		})
		if err != nil && !hasCode(err, "InvalidPermission.NotFound") {
			return res, m.explain("ec2", "RevokeSecurityGroupIngress", err)
		}
		res.Rules = append(res.Rules, r)
		res.Changed = true
	}
	return res, nil
}
