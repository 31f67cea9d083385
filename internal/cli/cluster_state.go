package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/cluster"
)

// ClusterStateOptions are the flags of 'sparkify cluster pause' and
// 'resume'.
type ClusterStateOptions struct {
	Wait    bool
	Timeout time.Duration
	DryRun  bool
}

func newClusterPauseCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	opts := &ClusterStateOptions{}
	cmd := &cobra.Command{
		Use:   "pause",
		Short: "Pause the cluster: stop paying for compute while it is idle",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClusterState(cmd.Context(), f, common, opts, (*cluster.Manager).Pause, "paused")
		},
	}
	addWaitFlags(f, cmd, &opts.Wait, &opts.Timeout, "paused")
	addDryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func newClusterResumeCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	opts := &ClusterStateOptions{}
	cmd := &cobra.Command{
		Use:   "resume",
		Short: "Resume a paused cluster",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClusterState(cmd.Context(), f, common, opts, (*cluster.Manager).Resume, "available")
		},
	}
	addWaitFlags(f, cmd, &opts.Wait, &opts.Timeout, "available")
	addDryRunFlag(cmd, &opts.DryRun)
	return cmd
}

type stateFunc func(*cluster.Manager, context.Context, cluster.WaitOptions) (*cluster.StateResult, error)

func runClusterState(ctx context.Context, f *Factory, common *ClusterOptions, opts *ClusterStateOptions, do stateFunc, goal string) error {
	m, progress, err := clusterManager(ctx, f, common, opts.DryRun)
	if err != nil {
		return err
	}
	res, err := do(m, ctx, cluster.WaitOptions{Wait: opts.Wait, Timeout: opts.Timeout})
	progress.done()
	if err != nil || opts.DryRun {
		return err
	}
	say := clusterSay(f, common)
	switch st := res.Cluster.State; {
	case !res.Changed:
		say("cluster %s is already %s", res.Cluster.Identifier, st)
	case st == goal:
		say("cluster %s is %s", res.Cluster.Identifier, st)
	default:
		say("cluster %s is %s; it will be %s in a few minutes ('sparkify cluster status')", res.Cluster.Identifier, st, goal)
	}
	return clusterResult(f, common, res)
}
