package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/cluster"
	"github.com/sparkify/sparkify/internal/config"
)

// ClusterDownOptions are the flags of 'sparkify cluster down'.
type ClusterDownOptions struct {
	Yes           bool
	FinalSnapshot string
	Timeout       time.Duration
	DryRun        bool
	// DeleteUntagged deletes a cluster sparkify did not create.
	DeleteUntagged bool
}

func newClusterDownCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	opts := &ClusterDownOptions{}
	cmd := &cobra.Command{
		Use:     "down",
		Aliases: []string{"teardown"},
		Short:   "Close the port, delete the cluster and its data, then the IAM role",
		Long: `Remove what 'sparkify cluster up' and 'open-port' made: close the port,
delete the cluster (with no final snapshot unless --final-snapshot NAME),
wait until it is gone, detach the policy and delete the role, then clear
[CLUSTER] HOST and [IAM_ROLE] ARN in dwh.cfg (every other line stays). A
cluster already taking its final snapshot or being deleted is waited for,
not deleted again.

Only what sparkify created (tagged created-by=sparkify) is deleted: a
cluster without the tag is kept, with its role, unless --delete-untagged;
a role without it loses only the policy 'up' attached. It asks for
confirmation on a terminal, or needs --yes. Safe to run again after a
partial failure: what is already gone counts as done.`,
		Example: `  sparkify cluster down
  sparkify cluster down --yes --final-snapshot sparkify-last`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClusterDown(cmd.Context(), f, common, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "do not ask for confirmation")
	cmd.Flags().StringVar(&opts.FinalSnapshot, "final-snapshot", "", "take a final snapshot with this name before deleting")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", defaultClusterTimeout, "give up waiting for the deletion after this long")
	cmd.Flags().BoolVar(&opts.DeleteUntagged, "delete-untagged", false, "delete the cluster even though it lacks sparkify's created-by=sparkify tag")
	addDryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func runClusterDown(ctx context.Context, f *Factory, common *ClusterOptions, opts *ClusterDownOptions) error {
	m, progress, err := clusterManager(ctx, f, common, opts.DryRun)
	if err != nil {
		return err
	}
	if !opts.Yes && !opts.DryRun {
		if !f.IO.CanPrompt() {
			return flagErrorf("down deletes %s and all its data: pass --yes to confirm", m.Spec.Name())
		}
		snap := "no final snapshot"
		if opts.FinalSnapshot != "" {
			snap = "final snapshot " + opts.FinalSnapshot
		}
		ok, err := confirm(f, fmt.Sprintf("Delete %s (%s) with all its data, and IAM role %s?", m.Spec.Name(), snap, m.Spec.RoleName))
		if err != nil {
			return err
		}
		if !ok {
			return &ExitError{Code: ExitFailure, Err: errors.New("cancelled: nothing was deleted")}
		}
	}
	res, err := m.Down(ctx, cluster.DownOptions{FinalSnapshot: opts.FinalSnapshot, Timeout: opts.Timeout, DeleteUntagged: opts.DeleteUntagged})
	progress.done()
	if !opts.DryRun {
		printDown(clusterSay(f, common), m, res)
	}
	if err != nil {
		return err
	}
	// What is gone leaves dwh.cfg: HOST and the ARN would only point the
	// next etl at nothing. Every other line stays.
	var clear []config.Update
	var what []string
	if !res.ClusterKept {
		clear, what = append(clear, config.ClearHost()), append(what, "[CLUSTER] HOST")
	}
	if !res.ClusterKept && !res.RoleKept {
		clear, what = append(clear, config.ClearRoleARN()), append(what, "[IAM_ROLE] ARN")
	}
	if cfg, cerr := f.Config(); cerr == nil && cfg.File != "" && len(clear) > 0 {
		if err := updateClusterConfig(f, common, cfg.File, opts.DryRun, "cleared", strings.Join(what, ", "), clear...); err != nil {
			return err
		}
	}
	return clusterResult(f, common, res)
}

func printDown(say func(string, ...any), m *cluster.Manager, res *cluster.DownResult) {
	for _, r := range res.PortRules {
		say("closed port %d to %s", r.FromPort, r.CIDR)
	}
	if res.ClusterDeleted {
		say("deleted %s", m.Spec.Name())
	}
	if res.PolicyDetached {
		say("detached %s from role %s", m.Spec.PolicyARN, m.Spec.RoleName)
	}
	if res.RoleDeleted {
		say("deleted role %s", m.Spec.RoleName)
	}
	if res.ClusterKept {
		say("kept %s and role %s: it lacks sparkify's created-by=sparkify tag (--delete-untagged deletes it)", m.Spec.Name(), m.Spec.RoleName)
	}
	if res.RoleKept {
		say("kept role %s: sparkify did not create it (no created-by=sparkify tag); only its policy was detached", m.Spec.RoleName)
	}
	if len(res.PortRules) == 0 && !res.ClusterDeleted && !res.PolicyDetached && !res.RoleDeleted && !res.ClusterKept && !res.RoleKept {
		say("nothing left to remove: %s and role %s are gone", m.Spec.Name(), m.Spec.RoleName)
	}
}
