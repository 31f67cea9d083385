package cluster

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/redshift/types"
)

// Drift is one way an existing cluster or role differs from the config.
type Drift struct {
	Field string `json:"field"`
	Want  string `json:"want"` // per the config
	Have  string `json:"have"` // in AWS
}

// String says what differs in words.
func (d Drift) String() string {
	return fmt.Sprintf("%s: config says %s, AWS has %s", d.Field, d.Want, d.Have)
}

// clusterDrift compares an existing cluster with the Spec. sparkify
// reports drift and never resizes or rebuilds a cluster by itself.
func clusterDrift(s Spec, c *types.Cluster, roleARN string) []Drift {
	in := infoOf(c)
	var out []Drift
	add := func(field, want, have string) {
		if want != have {
			out = append(out, Drift{field, want, have})
		}
	}
	add("node type (NODE_TYPE)", s.NodeType, in.NodeType)
	add("number of nodes (CLUSTER_TYPE/NUMBER_OF_NODES)", strconv.Itoa(s.nodes()), strconv.Itoa(in.Nodes))
	add("database (DB_NAME)", s.DBName, in.DBName)
	add("master user (DB_USER)", s.DBUser, in.DBUser)
	if in.Port != 0 {
		add("port (DB_PORT)", strconv.Itoa(s.Port), strconv.Itoa(in.Port))
	}
	if roleARN != "" && !slices.Contains(in.IAMRoles, roleARN) {
		out = append(out, Drift{"IAM role", roleARN + " attached", fmt.Sprintf("%v", in.IAMRoles)})
	}
	return out
}
