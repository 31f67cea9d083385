package cluster

import (
	"context"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/aws/aws-sdk-go-v2/service/redshift/types"
)

// TagKey and TagValue mark what sparkify created.
const (
	TagKey   = "created-by"
	TagValue = "sparkify"
)

// Info is what sparkify shows about a cluster.
type Info struct {
	Identifier     string   `json:"identifier"`
	State          string   `json:"state"`
	Availability   string   `json:"availability,omitempty"`
	Host           string   `json:"host,omitempty"`
	Port           int      `json:"port,omitempty"`
	NodeType       string   `json:"node_type"`
	Nodes          int      `json:"nodes"`
	DBName         string   `json:"db_name"`
	DBUser         string   `json:"db_user"`
	IAMRoles       []string `json:"iam_roles"`
	SecurityGroups []string `json:"security_groups"`
	VPC            string   `json:"vpc,omitempty"`
	Public         bool     `json:"publicly_accessible"`
	// Sparkify is true when the cluster carries sparkify's tag.
	Sparkify bool `json:"created_by_sparkify"`
	// Namespace and BaseCapacity (RPUs) describe a Serverless workgroup.
	Namespace    string `json:"namespace,omitempty"`
	BaseCapacity int    `json:"base_capacity_rpus,omitempty"`
}

func infoOf(c *types.Cluster) *Info {
	in := &Info{
		Identifier:   aws.ToString(c.ClusterIdentifier),
		State:        aws.ToString(c.ClusterStatus),
		Availability: aws.ToString(c.ClusterAvailabilityStatus),
		NodeType:     aws.ToString(c.NodeType),
		Nodes:        int(aws.ToInt32(c.NumberOfNodes)),
		DBName:       aws.ToString(c.DBName),
		DBUser:       aws.ToString(c.MasterUsername),
		VPC:          aws.ToString(c.VpcId),
		Public:       aws.ToBool(c.PubliclyAccessible),

		IAMRoles:       []string{},
		SecurityGroups: []string{},
	}
	if c.Endpoint != nil {
		in.Host, in.Port = aws.ToString(c.Endpoint.Address), int(aws.ToInt32(c.Endpoint.Port))
	}
	for _, r := range c.IamRoles {
		in.IAMRoles = append(in.IAMRoles, aws.ToString(r.IamRoleArn))
	}
	for _, g := range c.VpcSecurityGroups {
		in.SecurityGroups = append(in.SecurityGroups, aws.ToString(g.VpcSecurityGroupId))
	}
	for _, t := range c.Tags {
		if aws.ToString(t.Key) == TagKey && aws.ToString(t.Value) == TagValue {
			in.Sparkify = true
		}
	}
	return in
}

// describe returns the cluster, or nil when there is none.
func (m *Manager) describe(ctx context.Context) (*types.Cluster, error) {
	out, err := m.Redshift.DescribeClusters(ctx, &redshift.DescribeClustersInput{ClusterIdentifier: aws.String(m.Spec.Identifier)})
	if hasCode(err, "ClusterNotFound") {
		return nil, nil
	}
	if err != nil {
		return nil, m.explain("redshift", "DescribeClusters", err)
	}
	if len(out.Clusters) == 0 {
		return nil, nil
	}
	return &out.Clusters[0], nil
}

// mustDescribe is describe for verbs that need a cluster.
func (m *Manager) mustDescribe(ctx context.Context, op string) (*types.Cluster, error) {
	c, err := m.describe(ctx)
	if err == nil && c == nil {
		e := m.notFoundError().(*Error)
		e.Operation = op
		err = e
	}
	return c, err
}

// notFoundError says there is no cluster (or Serverless workgroup) and
// what to do.
func (m *Manager) notFoundError() error {
	if m.Spec.Serverless {
		return &Error{Service: "redshift-serverless", Operation: "GetWorkgroup", Code: "ResourceNotFoundException", Kind: ErrClusterNotFound,
			Err:  noClusterError{"workgroup " + m.Spec.Workgroup, m.Region},
			Hint: "run 'sparkify cluster up' (or check REGION and WORKGROUP in dwh.cfg)"}
	}
	return &Error{Service: "redshift", Operation: "DescribeClusters", Code: "ClusterNotFound", Kind: ErrClusterNotFound,
		Err:  errNoCluster(m.Spec.Identifier, m.Region),
		Hint: "run 'sparkify cluster up' (or check REGION and CLUSTER_IDENTIFIER in dwh.cfg)"}
}

type noClusterError struct{ id, region string }

func (e noClusterError) Error() string {
	if strings.HasPrefix(e.id, "workgroup ") {
		return "no Redshift Serverless " + e.id + " in region " + e.region
	}
	return "no cluster named " + e.id + " in region " + e.region
}

func errNoCluster(id, region string) error { return noClusterError{id, region} }

// createCluster asks for the cluster in the Spec with the role attached.
func (m *Manager) createCluster(ctx context.Context, roleARN string) (*types.Cluster, error) {
	s := m.Spec
	in := &redshift.CreateClusterInput{
		ClusterIdentifier:  aws.String(s.Identifier),
		ClusterType:        aws.String(s.ClusterType),
		NodeType:           aws.String(s.NodeType),
		DBName:             aws.String(s.DBName),
		MasterUsername:     aws.String(s.DBUser),
		MasterUserPassword: aws.String(s.DBPassword.Reveal()), // only to the SDK
		Port:               aws.Int32(int32(s.Port)),
		IamRoles:           []string{roleARN},
		// open-port opens the port to chosen addresses; the cluster must
		// have a public address for that to mean anything.
		PubliclyAccessible: aws.Bool(true),
		Tags:               []types.Tag{{Key: aws.String(TagKey), Value: aws.String(TagValue)}},
	}
	params := []Param{
		{"ClusterIdentifier", s.Identifier}, {"ClusterType", s.ClusterType}, {"NodeType", s.NodeType},
	}
	if !s.single() {
		in.NumberOfNodes = aws.Int32(int32(s.NumberOfNodes))
		params = append(params, Param{"NumberOfNodes", strconv.Itoa(s.NumberOfNodes)})
	}
	if s.SubnetGroup != "" {
		in.ClusterSubnetGroupName = aws.String(s.SubnetGroup)
		params = append(params, Param{"ClusterSubnetGroupName", s.SubnetGroup})
	}
	if len(s.SecurityGroupIDs) > 0 {
		in.VpcSecurityGroupIds = s.SecurityGroupIDs
		params = append(params, Param{"VpcSecurityGroupIds", strings.Join(s.SecurityGroupIDs, ",")})
	}
	params = append(params, Param{"DBName", s.DBName}, Param{"MasterUsername", s.DBUser},
		Param{"MasterUserPassword", s.DBPassword.String()}, Param{"Port", strconv.Itoa(s.Port)},
		Param{"IamRoles", roleARN}, Param{"PubliclyAccessible", "true"}, Param{"Tags", TagKey + "=" + TagValue})
	var created *types.Cluster
	err := m.change(ctx, Call{"redshift", "CreateCluster", params}, func(ctx context.Context) error {
		out, err := m.Redshift.CreateCluster(ctx, in)
		if err == nil {
			created = out.Cluster
		}
		return err
	})
	if err != nil {
		return nil, m.explain("redshift", "CreateCluster", err)
	}
	return created, nil
}
