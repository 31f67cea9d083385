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
	NoWait      bool
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
from [CLUSTER] (or reuse it, reporting where it differs from dwh.cfg), and
wait until it is available (--no-wait to return at once). Then write
[CLUSTER] HOST and [IAM_ROLE] ARN into dwh.cfg, leaving every other line
as it was.

The database password comes from SPARKIFY_DB_PASSWORD or PGPASSWORD, else
[CLUSTER] DB_PASSWORD. It is never printed.`,
		Example: `  SPARKIFY_DB_PASSWORD=... sparkify cluster up
  sparkify cluster up --dry-run
  sparkify cluster up --no-wait         # start it, come back later
  sparkify cluster up --json            # the result for scripts`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClusterUp(cmd.Context(), f, common, opts)
		},
	}
	// Waiting is the default everywhere, in a pipe too: a script that goes
	// on to 'etl --warehouse redshift' needs the HOST only a wait records.
	cmd.Flags().BoolVar(&opts.Wait, "wait", true, "wait until the cluster is available")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "return once the cluster is being created")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", defaultClusterTimeout, "give up waiting after this long")
	addDryRunFlag(cmd, &opts.DryRun)
	cmd.Flags().BoolVar(&opts.WriteConfig, "write-config", true, "write HOST and the role ARN into dwh.cfg")
	return cmd
}

func runClusterUp(ctx context.Context, f *Factory, common *ClusterOptions, opts *ClusterUpOptions) error {
	m, progress, err := clusterManager(ctx, f, common, opts.DryRun)
	if err != nil {
		return err
	}
	say := clusterSay(f, common)
	res, err := m.Up(ctx, cluster.UpOptions{Wait: opts.Wait && !opts.NoWait, Timeout: opts.Timeout})
	progress.done()
	if res != nil && res.RoleARN != "" && !opts.DryRun {
		verb := "exists"
		if res.RoleCreated {
			verb = "created"
		}
		say("role %s %s: %s", m.Spec.RoleName, verb, res.RoleARN)
	}
	if errors.Is(err, cluster.ErrTimeout) && opts.WriteConfig && res != nil && res.RoleARN != "" {
		// The role is ready even though the cluster is not: record it.
		if werr := writeClusterConfig(f, common, res, opts.DryRun); werr != nil {
			return errors.Join(err, werr)
		}
	}
	if err != nil {
		return err
	}
	if !opts.DryRun {
		printUpCluster(say, m, res)
	}
	if opts.WriteConfig {
		if err := writeClusterConfig(f, common, res, opts.DryRun); err != nil {
			return err
		}
	}
	return clusterResult(f, common, res)
}

func printUpCluster(say func(string, ...any), m *cluster.Manager, res *cluster.UpResult) {
	c := res.Cluster
	verb := "exists"
	if res.ClusterCreated {
		verb = "created"
	}
	switch {
	case res.Available():
		say("%s %s: available at %s:%d", m.Spec.Name(), verb, c.Host, c.Port)
	default:
		say("%s %s: %s; run 'sparkify cluster up' again to wait for it and record its HOST", m.Spec.Name(), verb, c.State)
	}
}

// writeClusterConfig records the role ARN, and the host once known, in
// dwh.cfg (created when there is none).
func writeClusterConfig(f *Factory, common *ClusterOptions, res *cluster.UpResult, dryRun bool) error {
	path, err := clusterConfigPath(f)
	if err != nil {
		return err
	}
	updates := []config.Update{config.RoleARNUpdate(res.RoleARN)}
	what := []string{"[IAM_ROLE] ARN=" + res.RoleARN}
	if res.Available() {
		updates = append(updates, config.HostUpdate(res.Cluster.Host))
		what = append(what, "[CLUSTER] HOST="+res.Cluster.Host)
	}
	return updateClusterConfig(f, common, path, dryRun, "recorded", strings.Join(what, ", "), updates...)
}

// updateClusterConfig applies updates to dwh.cfg at path and says so
// ("would update" in a dry run, on the plan's stream).
func updateClusterConfig(f *Factory, common *ClusterOptions, path string, dryRun bool, verb, what string, updates ...config.Update) error {
	say := clusterSay(f, common)
	if dryRun {
		out := f.IO.Out
		if common.JSON {
			out = f.IO.ErrOut
		}
		fmt.Fprintf(out, "would update %s: %s\n", path, what)
		return nil
	}
	changed, err := config.UpdateFile(path, updates...)
	if err != nil {
		return err
	}
	if changed {
		say("%s %s in %s", verb, what, path)
	} else {
		say("%s already up to date", path)
	}
	return nil
}

// clusterConfigPath is the dwh.cfg the cluster verbs record to.
func clusterConfigPath(f *Factory) (string, error) {
	cfg, err := f.Config()
	if err != nil {
		return "", err
	}
	if cfg.File == "" {
		return config.DefaultConfigFile, nil
	}
	return cfg.File, nil
}
