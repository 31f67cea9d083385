package cluster

import (
	"errors"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/sparkify/sparkify/internal/config"
)

// legacyNodeType reports whether t is of a node family AWS no longer
// creates clusters of in most accounts (DC1/DC2, DS1/DS2 and their old
// dw names); RA3 replaces them.
func legacyNodeType(t string) bool {
	for _, p := range []string{"dc1.", "dc2.", "ds1.", "ds2.", "dw1.", "dw2."} {
		if strings.HasPrefix(strings.ToLower(t), p) {
			return true
		}
	}
	return false
}

// replacementNodeType names the RA3 type to use instead of a legacy one:
// the smallest, ra3.large, for the small types; ra3.4xlarge for the
// 8xlarge ones.
func replacementNodeType(t string) string {
	if strings.Contains(strings.ToLower(t), "8xlarge") {
		return "ra3.4xlarge"
	}
	return config.DefaultNodeType
}

// warnLegacyNodeType warns, before any AWS call, when dwh.cfg asks for a
// node type AWS is likely to refuse.
func (m *Manager) warnLegacyNodeType() {
	if t := m.Spec.NodeType; legacyNodeType(t) {
		m.logf("warning: NODE_TYPE %s: AWS no longer creates %s clusters in most accounts; set NODE_TYPE = %s in dwh.cfg [CLUSTER] (with CLUSTER_TYPE = multi-node, NUMBER_OF_NODES = 2)",
			t, strings.ToUpper(t[:3]), replacementNodeType(t))
	}
}

// nodeTypeRefused reports whether AWS's answer to CreateCluster is about
// the node type ("Invalid node type: dc2.large", "You do not have access
// to node type dw2.large. Choose another node type"), whatever its code.
func nodeTypeRefused(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && strings.Contains(strings.ToLower(api.ErrorMessage()), "node type")
}

// nodeTypeHint says what to put in dwh.cfg instead.
func (m *Manager) nodeTypeHint() string {
	t := m.Spec.NodeType
	return "AWS refused NODE_TYPE " + t + ": set NODE_TYPE = " + replacementNodeType(t) +
		" in dwh.cfg [CLUSTER] (RA3 replaces DC2 and DS2; with CLUSTER_TYPE = multi-node, NUMBER_OF_NODES = 2), or CLUSTER_TYPE = serverless"
}
