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
	var last *types.Cluster
	err := m.poll(ctx, "cluster "+m.Spec.Identifier, g.name, timeout, func(ctx context.Context) (string, bool, error) {
		c, err := m.describe(ctx)
		if err != nil {
			return "", false, err
		}
		last = c
		done, err := g.done(c)
		return state(c), done, err
	})
	return last, err
}

// poll calls look until it reports done, fails, or timeout passes (0: no
// limit beyond ctx), telling Progress the state at every look. what names
// the thing ("cluster x", "workgroup y") and goal its wanted state, for
// messages.
func (m *Manager) poll(ctx context.Context, what, goal string, timeout time.Duration,
	look func(context.Context) (state string, done bool, err error)) error {
	start := m.now()
	for {
		st, done, err := look(ctx)
		if err != nil && st == "" {
			return err
		}
		elapsed := m.now().Sub(start)
		if m.Progress != nil {
			m.Progress(st, elapsed)
		}
		if err != nil {
			return fmt.Errorf("wait for %s to be %s: %w", what, goal, err)
		}
		if done {
			return nil
		}
		if timeout > 0 && elapsed+m.PollInterval > timeout {
			return fmt.Errorf("%w: %s is still %s after %s (limit %s); it carries on in AWS: "+
				"check with 'sparkify cluster status' or wait again with a longer --timeout",
				ErrTimeout, what, st, elapsed.Round(time.Millisecond), timeout)
		}
		if err := m.sleep(ctx, m.PollInterval); err != nil {
			return err
		}
	}
}
