package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift/types"
)

// goal decides, from one poll, whether waiting is over: done, or an error
// when the cluster can no longer reach the goal. c is nil when the cluster
// does not exist.
type goal struct {
	name string // "available", "paused", "deleted"
	done func(c *types.Cluster) (bool, error)
}

var (
	goalAvailable = goal{"available", func(c *types.Cluster) (bool, error) {
		switch state(c) {
		case "available":
			return true, nil
		case "gone", "deleting", "final-snapshot", "paused", "hardware-failure", "incompatible-hsm", "incompatible-network",
			"incompatible-parameters", "incompatible-restore", "storage-full":
			return false, fmt.Errorf("%w: the cluster is %s and will not become available by waiting", ErrInvalidState, state(c))
		}
		return false, nil
	}}
	// goalResumed is goalAvailable after ResumeCluster: the first polls
	// may still say paused before they say resuming.
	goalResumed = goal{"available", func(c *types.Cluster) (bool, error) {
		if state(c) == "paused" {
			return false, nil
		}
		return goalAvailable.done(c)
	}}
	goalPaused = goal{"paused", func(c *types.Cluster) (bool, error) {
		switch state(c) {
		case "paused":
			return true, nil
		case "gone", "deleting":
			return false, fmt.Errorf("%w: the cluster is %s", ErrInvalidState, state(c))
		}
		return false, nil
	}}
	goalDeleted = goal{"deleted", func(c *types.Cluster) (bool, error) { return c == nil, nil }}
)

// state is the cluster's status, or "gone".
func state(c *types.Cluster) string {
	if c == nil {
		return "gone"
	}
	return aws.ToString(c.ClusterStatus)
}

// wait polls DescribeClusters until g is reached, the cluster cannot reach
// it, or timeout passes (0: no limit beyond ctx). It returns the last
// cluster seen.
func (m *Manager) wait(ctx context.Context, g goal, timeout time.Duration) (*types.Cluster, error) {
	start := m.now()
	for {
		c, err := m.describe(ctx)
		if err != nil {
			return nil, err
		}
		elapsed := m.now().Sub(start)
		if m.Progress != nil {
			m.Progress(state(c), elapsed)
		}
		done, err := g.done(c)
		if err != nil {
			return c, fmt.Errorf("wait for cluster %s to be %s: %w", m.Spec.Identifier, g.name, err)
		}
		if done {
			return c, nil
		}
		if timeout > 0 && elapsed+m.PollInterval > timeout {
			return c, fmt.Errorf("%w: cluster %s is still %s after %s (limit %s); it carries on in AWS: "+
				"check with 'sparkify cluster status' or wait again with a longer --timeout",
				ErrTimeout, m.Spec.Identifier, state(c), elapsed.Round(time.Millisecond), timeout)
		}
		if err := m.sleep(ctx, m.PollInterval); err != nil {
			return c, err
		}
	}
}
