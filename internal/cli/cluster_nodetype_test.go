package cli

import (
	"os"
	"strings"
	"testing"
)

// With no NODE_TYPE in dwh.cfg a new cluster is 2 x ra3.large (the
// smallest RA3 type: CreateCluster's NodeType values, see
// internal/cluster/nodetype_test.go); the original project's dc2.large
// gets a warning on stderr before any AWS call.
func TestClusterUpNodeTypeDefaultAndLegacyWarning(t *testing.T) {
	fake, env, pre, cfg := clusterEnv(t)
	r := runCLI(t, env, append(pre, "cluster", "up", "--dry-run")...)
	if r.code != 0 || !strings.Contains(r.err, "warning: NODE_TYPE dc2.large: AWS no longer creates DC2 clusters") {
		t.Errorf("dc2.large: exit %d, stderr:\n%s", r.code, r.err)
	}
	noType := strings.Replace(strings.Replace(strings.Replace(clusterCfg, "NODE_TYPE='dc2.large'\n", "", 1),
		"NUMBER_OF_NODES='2'\n", "", 1), "CLUSTER_TYPE='multi-node'\n", "", 1)
	if err := os.WriteFile(cfg, []byte(noType), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env, append(pre, "cluster", "up", "--no-wait")...)
	if r.code != 0 || strings.Contains(r.err, "warning") {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	cl, _ := fake.Cluster("dwhcluster")
	if cl.NodeType != "ra3.large" || cl.NumberOfNodes != 2 {
		t.Errorf("created %d x %s, want 2 x ra3.large", cl.NumberOfNodes, cl.NodeType)
	}
}
