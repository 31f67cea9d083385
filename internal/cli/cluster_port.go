package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/cluster"
)

// ClusterPortOptions are the flags of 'sparkify cluster open-port' and
// 'close-port'.
type ClusterPortOptions struct {
	CIDR          string
	AllowAnywhere bool
	DryRun        bool
}

func newClusterOpenPortCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	opts := &ClusterPortOptions{}
	cmd := &cobra.Command{
		Use:     "open-port",
		Aliases: []string{"openport"},
		Short:   "Let an address range reach the database port (default: only your own address)",
		Long: `Add an ingress rule on the cluster's VPC security group for the database
port. Without --cidr it opens the port to your own public address only
(found at https://checkip.amazonaws.com), as a /32. 0.0.0.0/0 and ::/0 are
refused unless --allow-anywhere. A rule that is already there is fine.`,
		Example: `  sparkify cluster open-port
  sparkify cluster open-port --cidr 192.0.2.0/24`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClusterOpenPort(cmd.Context(), f, common, opts)
		},
	}
	cmd.Flags().StringVar(&opts.CIDR, "cidr", "", "address range allowed in (default: your public address/32)")
	cmd.Flags().BoolVar(&opts.AllowAnywhere, "allow-anywhere", false, "allow 0.0.0.0/0 or ::/0: the whole internet")
	addDryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func runClusterOpenPort(ctx context.Context, f *Factory, common *ClusterOptions, opts *ClusterPortOptions) error {
	if opts.CIDR != "" {
		if _, err := cluster.ParseCIDR(opts.CIDR, opts.AllowAnywhere); err != nil {
			return clusterError(err)
		}
	}
	m, _, err := clusterManager(ctx, f, common, opts.DryRun)
	if err != nil {
		return err
	}
	res, err := m.OpenPort(ctx, cluster.OpenPortOptions{CIDR: opts.CIDR, AllowAnywhere: opts.AllowAnywhere})
	if err != nil {
		return clusterError(err)
	}
	r := res.Rules[0]
	say := clusterSay(f, common)
	switch {
	case opts.DryRun:
		return nil
	case res.Changed:
		say("opened port %d on %s to %s", res.Port, res.GroupID, r.CIDR)
	default:
		say("port %d on %s was already open to %s", res.Port, res.GroupID, r.CIDR)
	}
	return clusterResult(f, common, res)
}

func newClusterClosePortCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	opts := &ClusterPortOptions{}
	cmd := &cobra.Command{
		Use:   "close-port",
		Short: "Remove the ingress rules open-port added",
		Long: `Remove the rules open-port added (those described "sparkify") on the
database port. Rules added by anyone else are left alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, _, err := clusterManager(cmd.Context(), f, common, opts.DryRun)
			if err != nil {
				return err
			}
			res, err := m.ClosePort(cmd.Context())
			if err != nil {
				return err
			}
			if opts.DryRun {
				return nil
			}
			printClosed(clusterSay(f, common), res)
			return clusterResult(f, common, res)
		},
	}
	addDryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func printClosed(say func(string, ...any), res *cluster.PortResult) {
	if len(res.Rules) == 0 {
		say("no port opened by sparkify: nothing to close")
	}
	for _, r := range res.Rules {
		say("closed port %d on %s to %s", res.Port, r.GroupID, r.CIDR)
	}
}
