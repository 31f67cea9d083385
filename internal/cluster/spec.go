package cluster

import (
	"fmt"
	"regexp"
	"unicode"

	"github.com/sparkify/sparkify/internal/config"
)

// Spec is the cluster and role the configuration asks for.
type Spec struct {
	Identifier    string
	ClusterType   string // single-node or multi-node
	NodeType      string
	NumberOfNodes int
	DBName        string
	DBUser        string
	DBPassword    config.Secret
	Port          int
	RoleName      string
	PolicyARN     string
	// SubnetGroup and SecurityGroupIDs, when set, place the cluster
	// (CreateCluster ClusterSubnetGroupName, VpcSecurityGroupIds).
	SubnetGroup      string
	SecurityGroupIDs []string
	// Serverless is CLUSTER_TYPE = serverless: a Redshift Serverless
	// namespace and workgroup instead of a cluster; BaseCapacity in RPUs.
	Serverless   bool
	Workgroup    string
	Namespace    string
	BaseCapacity int
}

// SpecFromConfig reads the [CLUSTER] and [IAM_ROLE] settings.
func SpecFromConfig(c *config.Config) Spec {
	policy := c.IAMRole.S3PolicyARN
	if policy == "" {
		policy = config.DefaultS3PolicyARN
	}
	return Spec{
		Identifier:    c.Cluster.Identifier,
		ClusterType:   c.Cluster.Type,
		NodeType:      c.Cluster.NodeType,
		NumberOfNodes: c.Cluster.NumberOfNodes,
		DBName:        c.Cluster.DBName,
		DBUser:        c.Cluster.DBUser,
		DBPassword:    c.Cluster.DBPassword,
		Port:          c.Cluster.DBPort,
		RoleName:      c.IAMRole.Name,
		PolicyARN:     policy,

		SubnetGroup:      c.Cluster.SubnetGroup,
		SecurityGroupIDs: c.Cluster.SecurityGroupIDs,
		Serverless:       c.Cluster.Serverless(),
		Workgroup:        c.Cluster.Workgroup,
		Namespace:        c.Cluster.Namespace,
		BaseCapacity:     c.Cluster.BaseCapacity,
	}
}

// Name names what the Spec is about in messages: "cluster ID", or
// "workgroup NAME" for Serverless.
func (s Spec) Name() string {
	if s.Serverless {
		return "workgroup " + s.Workgroup
	}
	return "cluster " + s.Identifier
}

// single reports whether the spec is a single-node cluster.
func (s Spec) single() bool { return s.ClusterType == "single-node" }

// nodes is the node count the cluster should have.
func (s Spec) nodes() int {
	if s.single() {
		return 1
	}
	return s.NumberOfNodes
}

// validateForCreate checks what AWS would reject, before any call, in
// words that say which setting to fix. The password is never shown.
func (s Spec) validateForCreate() error {
	if s.Serverless {
		return s.validateServerless()
	}
	switch {
	case s.Identifier == "":
		return fmt.Errorf("%w: set [CLUSTER] CLUSTER_IDENTIFIER in dwh.cfg", ErrBadSpec)
	case s.NodeType == "":
		return fmt.Errorf("%w: set [CLUSTER] NODE_TYPE in dwh.cfg", ErrBadSpec)
	case s.ClusterType != "single-node" && s.ClusterType != "multi-node":
		return fmt.Errorf("%w: [CLUSTER] CLUSTER_TYPE is %q; use single-node or multi-node", ErrBadSpec, s.ClusterType)
	case !s.single() && s.NumberOfNodes < 2:
		return fmt.Errorf("%w: a multi-node cluster needs NUMBER_OF_NODES of 2 or more (it is %d); or set CLUSTER_TYPE=single-node", ErrBadSpec, s.NumberOfNodes)
	case s.DBUser == "" || s.DBName == "":
		return fmt.Errorf("%w: set [CLUSTER] DB_USER and DB_NAME in dwh.cfg", ErrBadSpec)
	case s.DBPassword == "":
		return fmt.Errorf("%w: set SPARKIFY_DB_PASSWORD (or PGPASSWORD, or [CLUSTER] DB_PASSWORD in dwh.cfg)", ErrNoPassword)
	}
	return checkPassword(s.DBPassword.Reveal())
}

// serverlessName is the pattern of workgroup and namespace names:
// "Length Constraints: Minimum length of 3. Maximum length of 64.
// Pattern: ^[a-z0-9-]+$" (DeleteWorkgroup, DeleteNamespace, Amazon
// Redshift Serverless API Reference).
var serverlessName = regexp.MustCompile(`^[a-z0-9-]{3,64}$`)

// validateServerless checks the settings a Serverless namespace and
// workgroup need.
func (s Spec) validateServerless() error {
	switch {
	case s.Workgroup == "" || s.Namespace == "":
		return fmt.Errorf("%w: set [CLUSTER] WORKGROUP and NAMESPACE in dwh.cfg", ErrBadSpec)
	case !serverlessName.MatchString(s.Workgroup) || !serverlessName.MatchString(s.Namespace):
		return fmt.Errorf("%w: [CLUSTER] WORKGROUP %q and NAMESPACE %q must be 3 to 64 lower-case letters, digits or hyphens", ErrBadSpec, s.Workgroup, s.Namespace)
	case s.BaseCapacity <= 0:
		return fmt.Errorf("%w: [CLUSTER] BASE_CAPACITY is %d; set the workgroup's base capacity in RPUs (e.g. 8)", ErrBadSpec, s.BaseCapacity)
	case s.DBUser == "" || s.DBName == "":
		return fmt.Errorf("%w: set [CLUSTER] DB_USER and DB_NAME in dwh.cfg", ErrBadSpec)
	case s.DBPassword == "":
		return fmt.Errorf("%w: set SPARKIFY_DB_PASSWORD (or PGPASSWORD, or [CLUSTER] DB_PASSWORD in dwh.cfg)", ErrNoPassword)
	}
	return checkPassword(s.DBPassword.Reveal())
}

// checkPassword applies Redshift's rules for a master password: 8 to 64
// characters, an upper- and a lower-case letter and a digit, printable
// ASCII without ' " \ / @ or space.
func checkPassword(p string) error {
	var upper, lower, digit bool
	for _, r := range p {
		switch {
		case r > unicode.MaxASCII || r <= ' ' || r == '\'' || r == '"' || r == '\\' || r == '/' || r == '@':
			return fmt.Errorf("%w: the database password may not contain spaces, quotes, \\, / or @", ErrBadPassword)
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if n := len(p); n < 8 || n > 64 || !upper || !lower || !digit {
		return fmt.Errorf("%w: Redshift needs 8 to 64 characters with an upper-case letter, a lower-case letter and a digit", ErrBadPassword)
	}
	return nil
}
