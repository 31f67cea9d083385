package cluster

import (
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
)

// dc2.large can no longer be created in most accounts: AWS answers
// "Invalid node type: dc2.large" (reported in
// https://github.com/aws-samples/amazon-bedrock-agents-healthcare-lifesciences/issues/122),
// and for older families "NumberOfNodesQuotaExceeded: You do not have
// access to node type dw2.large. Choose another node type"
// (https://github.com/nccgroup/sadcloud/issues/23). The current types are
// CreateCluster's NodeType values "dc2.large | dc2.8xlarge | ra3.large |
// ra3.xlplus | ra3.4xlarge | ra3.16xlarge" (CreateClusterRequest.nodeType,
// AWS SDK for Kotlin API reference,
// https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/redshift/aws.sdk.kotlin.services.redshift.model/-create-cluster-request/node-type.html);
// ra3.large is the smallest, the default aws-cdk moved to
// (https://github.com/aws/aws-cdk/pull/36516).
func TestLegacyNodeTypeWarnsFirstAndRefusalNamesReplacement(t *testing.T) {
	for _, tc := range []struct {
		nodeType, code, msg, want string
	}{
		{"dc2.large", "InvalidParameterValue", "Invalid node type: dc2.large", "set NODE_TYPE = ra3.large"},
		{"dc2.8xlarge", "UnsupportedOperation", "The node type dc2.8xlarge is not supported", "set NODE_TYPE = ra3.4xlarge"},
		{"ds2.xlarge", "NumberOfNodesQuotaExceeded", "You do not have access to node type ds2.xlarge. Choose another node type", "set NODE_TYPE = ra3.large"},
	} {
		r := newRig(t)
		r.m.Spec.NodeType = tc.nodeType
		var callsAtWarning = -1
		log := r.m.Log
		r.m.Log = func(format string, args ...any) {
			if strings.HasPrefix(format, "warning: NODE_TYPE") && callsAtWarning < 0 {
				callsAtWarning = len(r.fake.Calls())
			}
			log(format, args...)
		}
		r.fake.FailWith("CreateCluster", awsfake.Fault{Code: tc.code, Message: tc.msg})
		_, err := r.m.Up(ctx(t), UpOptions{Wait: true, Timeout: time.Second})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s refused: %v, want the refusal and %q", tc.nodeType, err, tc.want)
		}
		if callsAtWarning != 0 || !strings.Contains(r.logText(), "AWS no longer creates") {
			t.Errorf("%s: warning after %d calls (want 0): %q", tc.nodeType, callsAtWarning, r.logText())
		}
	}
	// A current type gets no warning.
	r := newRig(t)
	if _, err := r.m.Up(ctx(t), UpOptions{}); err != nil || strings.Contains(r.logText(), "warning") {
		t.Errorf("ra3.large: %v, log %q", err, r.logText())
	}
}
