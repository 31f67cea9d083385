package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/redshift/types"
	"github.com/aws/smithy-go"
)

// UpOptions tune Up.
type UpOptions struct {
	// Wait polls until the cluster is available, for at most Timeout.
	Wait    bool
	Timeout time.Duration
}

// UpResult says what Up found and did.
type UpResult struct {
	RoleARN        string `json:"role_arn"`
	RoleCreated    bool   `json:"role_created"`
	PolicyAttached bool   `json:"policy_attached"`
	ClusterCreated bool   `json:"cluster_created"` // the cluster, or the Serverless workgroup
	// NamespaceCreated is true when a Serverless namespace was created.
	NamespaceCreated bool    `json:"namespace_created,omitempty"`
	Cluster          *Info   `json:"cluster,omitempty"` // nil in a dry run that would create it
	Drift            []Drift `json:"drift,omitempty"`
}

// Available reports whether the cluster is up and has an endpoint.
func (r *UpResult) Available() bool {
	return r.Cluster != nil && r.Cluster.State == "available" && r.Cluster.Host != ""
}

// Up creates or reuses the role and the cluster, and with Wait waits for
// the cluster to be available. Existing resources that differ from the
// Spec are reported in Drift, never changed.
func (m *Manager) Up(ctx context.Context, opts UpOptions) (*UpResult, error) {
	if m.Spec.Serverless {
		return m.upServerless(ctx, opts)
	}
	res := &UpResult{}
	m.warnLegacyNodeType()
	existing, err := m.describe(ctx)
	if err != nil {
		return nil, err
	}
	if existing == nil {
		// Check the settings before creating anything.
		if err := m.Spec.validateForCreate(); err != nil {
			return nil, err
		}
	} else if st := state(existing); st == "deleting" || st == "final-snapshot" {
		return nil, fmt.Errorf("%w: cluster %s is being deleted (%s); wait until it is gone ('sparkify cluster status'), then run 'sparkify cluster up' again",
			ErrInvalidState, m.Spec.Identifier, st)
	}
	if res.RoleARN, err = m.ensureRole(ctx, res); err != nil {
		return res, err
	}
	c := existing
	if existing == nil {
		if c, err = m.createWithNewRole(ctx, res); err != nil {
			return res, err
		}
		res.ClusterCreated = true
	} else {
		res.Drift = append(res.Drift, clusterDrift(m.Spec, existing, res.RoleARN)...)
	}
	if c != nil {
		res.Cluster = infoOf(c)
	}
	for _, d := range res.Drift {
		m.logf("drift: %s", d)
	}
	switch {
	case !opts.Wait || (c != nil && state(c) == "available" && c.Endpoint != nil):
	case state(c) == "paused" || state(c) == "pausing":
		m.logf("cluster %s is %s: run 'sparkify cluster resume' to use it", m.Spec.Identifier, state(c))
	case m.DryRun:
		m.planNote("wait until cluster %s is available (timeout %s)", m.Spec.Identifier, opts.Timeout)
	default:
		c, err = m.wait(ctx, goalAvailable, opts.Timeout)
		if c != nil {
			res.Cluster = infoOf(c)
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// roleAttempts bounds CreateCluster retries while a new role propagates.
const roleAttempts = 5

// createWithNewRole creates the cluster; when the role is brand new, IAM's
// eventual consistency can make Redshift reject it for a few seconds, so
// such a rejection is retried a few times, a poll interval apart.
func (m *Manager) createWithNewRole(ctx context.Context, res *UpResult) (*types.Cluster, error) {
	for attempt := 1; ; attempt++ {
		c, err := m.createCluster(ctx, res.RoleARN)
		if err == nil || !res.RoleCreated || attempt == roleAttempts || !roleNotReady(err) {
			return c, err
		}
		m.logf("Redshift does not see the new role %s yet; trying again in %s", m.Spec.RoleName, m.PollInterval)
		if err := m.sleep(ctx, m.PollInterval); err != nil {
			return nil, err
		}
	}
}

func roleNotReady(err error) bool {
	var api smithy.APIError
	return hasCode(err, "InvalidParameterValue") && errors.As(err, &api) &&
		strings.Contains(strings.ToLower(api.ErrorMessage()), "role")
}
