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

// ClusterUpOptions are the flags of 'sparkify cluster up'.
type ClusterUpOptions struct {
	Wait        bool
	Timeout     time.Duration
	DryRun      bool
	WriteConfig bool
}

func newClusterUpCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	opts := &ClusterUpOptions{}
	cmd := &cobra.Command{
		Use:     "up",
		Aliases: []string{"setup"},
		Short:   "Create (or reuse) the IAM role and the cluster, and record them in dwh.cfg",
		Long: `Create the IAM role Redshift uses to read S3 (or reuse it) and attach
[IAM_ROLE] S3_POLICY_ARN (default AmazonS3ReadOnlyAccess); create the cluster
from [CLUSTER] (or reuse it, reporting where it differs from dwh.cfg); with
--wait, wait until it is available. Then write [CLUSTER] HOST and [IAM_ROLE]
ARN into dwh.cfg, leaving every other line as it was.

The database password comes from SPARKIFY_DB_PASSWORD or PGPASSWORD, else
[CLUSTER] DB_PASSWORD. It is never printed.`,
		Example: `  SPARKIFY_DB_PASSWORD=... sparkify cluster up
  sparkify cluster up --dry-run
  sparkify cluster up --wait=false      # start it, come back later`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClusterUp(cmd.Context(), f, common, opts)
		},
	}
	addWaitFlags(f, cmd, &opts.Wait, &opts.Timeout, "available")
	addDryRunFlag(cmd, &opts.DryRun)
	cmd.Flags().BoolVar(&opts.WriteConfig, "write-config", true, "write HOST and the role ARN into dwh.cfg")
	return cmd
}

func runClusterUp(ctx context.Context, f *Factory, common *ClusterOptions, opts *ClusterUpOptions) error {
	m, progress, err := clusterManager(ctx, f, common, opts.DryRun)
	if err != nil {
		return err
	}
	res, err := m.Up(ctx, cluster.UpOptions{Wait: opts.Wait, Timeout: opts.Timeout})
	progress.done()
	if res != nil && res.RoleARN != "" && !opts.DryRun {
		verb := "exists"
		if res.RoleCreated {
			verb = "created"
		}
		f.info("role %s %s: %s", m.Spec.RoleName, verb, res.RoleARN)
	}
	if errors.Is(err, cluster.ErrTimeout) && opts.WriteConfig && res != nil && res.RoleARN != "" {
		// The role is ready even though the cluster is not: record it.
		if werr := writeClusterConfig(f, res, opts.DryRun); werr != nil {
			return errors.Join(err, werr)
		}
	}
	if err != nil {
		return err
	}
	if !opts.DryRun {
		printUpCluster(f, m, res)
	}
	if opts.WriteConfig {
		return writeClusterConfig(f, res, opts.DryRun)
	}
	return nil
}

func printUpCluster(f *Factory, m *cluster.Manager, res *cluster.UpResult) {
	c := res.Cluster
	verb := "exists"
	if res.ClusterCreated {
		verb = "created"
	}
	switch {
	case res.Available():
		f.info("cluster %s %s: available at %s:%d", c.Identifier, verb, c.Host, c.Port)
	default:
		f.info("cluster %s %s: %s; run 'sparkify cluster up' again (or with --wait) to wait for it and record its HOST", m.Spec.Identifier, verb, c.State)
	}
}

// writeClusterConfig records the role ARN, and the host once known, in
// dwh.cfg (created when there is none).
func writeClusterConfig(f *Factory, res *cluster.UpResult, dryRun bool) error {
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	path := cfg.File
	if path == "" {
		path = config.DefaultConfigFile
	}
	updates := []config.Update{config.RoleARNUpdate(res.RoleARN)}
	what := []string{"[IAM_ROLE] ARN=" + res.RoleARN}
	if res.Available() {
		updates = append(updates, config.HostUpdate(res.Cluster.Host))
		what = append(what, "[CLUSTER] HOST="+res.Cluster.Host)
	}
	if dryRun {
		fmt.Fprintf(f.IO.Out, "would update %s: %s\n", path, strings.Join(what, ", "))
		return nil
	}
	changed, err := config.UpdateFile(path, updates...)
	if err != nil {
		return err
	}
	if changed {
		f.info("recorded %s in %s", strings.Join(what, ", "), path)
	} else {
		f.info("%s already up to date", path)
	}
	return nil
}
