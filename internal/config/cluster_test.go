package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The cluster settings issue #17 added: the RA3 default, the VPC
// placement keys and the Serverless keys.
func TestClusterSettings(t *testing.T) {
	c, err := Load(Flags{ConfigFile: filepath.Join(t.TempDir(), "none.cfg")}, env(nil))
	if err == nil || c != nil {
		t.Fatalf("a named missing file should fail: %v", err)
	}
	c, err = Load(Flags{}, env(map[string]string{"SPARKIFY_CONFIG": ""}))
	if err != nil {
		t.Fatal(err)
	}
	// dc2.large can no longer be created in most accounts; ra3.large is the
	// smallest RA3 type and two nodes is a valid multi-node cluster
	// (aws/aws-cdk pull request 36516 made the same change of default).
	if c.Cluster.NodeType != "ra3.large" || c.Cluster.Type != "multi-node" || c.Cluster.NumberOfNodes != 2 {
		t.Errorf("defaults: %+v", c.Cluster)
	}
	path := filepath.Join(t.TempDir(), "dwh.cfg")
	body := "[CLUSTER]\nCLUSTER_TYPE = serverless\nWORKGROUP = wg1\nNAMESPACE = ns1\nBASE_CAPACITY = 16\n" +
		"SUBNET_GROUP = my-subnets\nSECURITY_GROUP_IDS = sg-1, sg-2\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(Flags{ConfigFile: path}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	cl := c.Cluster
	if !cl.Serverless() || cl.Workgroup != "wg1" || cl.Namespace != "ns1" || cl.BaseCapacity != 16 ||
		cl.SubnetGroup != "my-subnets" || !slices.Equal(cl.SecurityGroupIDs, []string{"sg-1", "sg-2"}) {
		t.Errorf("cluster = %+v", cl)
	}
	// No HOST yet: the error names the command that makes one.
	_, err = c.RedshiftDSN()
	if err == nil || !strings.Contains(err.Error(), "run 'sparkify cluster up'") || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v", err)
	}
}
