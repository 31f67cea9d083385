package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/cluster"
)

func newClusterStatusCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the cluster's state, endpoint, nodes, roles and open ports",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClusterStatus(cmd.Context(), f, common)
		},
	}
	return cmd
}

func runClusterStatus(ctx context.Context, f *Factory, common *ClusterOptions) error {
	m, _, err := clusterManager(ctx, f, common, false)
	if err != nil {
		return err
	}
	st, err := m.Status(ctx)
	if err != nil {
		return err
	}
	if common.JSON {
		return writeJSON(f, st)
	}
	w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(w, "%s:\t"+format+"\n", append([]any{k}, args...)...) }
	owner := ""
	if st.Sparkify {
		owner = " (created by sparkify)"
	}
	kind := "cluster"
	if st.NodeType == "serverless" {
		kind = "workgroup"
	}
	row(kind, "%s%s", st.Identifier, owner)
	row("state", "%s", st.State)
	if st.Host != "" {
		row("endpoint", "%s:%d", st.Host, st.Port)
	}
	if st.NodeType == "serverless" {
		row("serverless", "namespace %s, base capacity %d RPUs", st.Namespace, st.BaseCapacity)
	} else {
		row("nodes", "%d x %s", st.Nodes, st.NodeType)
	}
	row("database", "%s (user %s)", st.DBName, st.DBUser)
	row("region", "%s", st.Region)
	row("iam roles", "%s", orNone(strings.Join(st.IAMRoles, ", ")))
	row("security groups", "%s", orNone(strings.Join(st.SecurityGroups, ", ")))
	if len(st.Ingress) == 0 {
		row("port open to", "nobody (run 'sparkify cluster open-port')")
	}
	for _, r := range st.Ingress {
		by := ""
		if r.Sparkify {
			by = " (sparkify)"
		} else if r.Description != "" {
			by = " (" + r.Description + ")"
		}
		row("port open to", "%s %s%s", r.CIDR, portRange(r), by)
	}
	return w.Flush()
}

func portRange(r cluster.Rule) string {
	switch {
	case r.Protocol == "-1":
		return "all traffic"
	case r.FromPort == r.ToPort:
		return fmt.Sprintf("tcp %d", r.FromPort)
	}
	return fmt.Sprintf("tcp %d-%d", r.FromPort, r.ToPort)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func newClusterRoleCmd(f *Factory, common *ClusterOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "role",
		Aliases: []string{"roleinfo"},
		Short:   "Show the IAM role's name and ARN",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, _, err := clusterManager(cmd.Context(), f, common, false)
			if err != nil {
				return err
			}
			r, err := m.Role(cmd.Context())
			if err != nil {
				return err
			}
			if common.JSON {
				return writeJSON(f, r)
			}
			fmt.Fprintf(f.IO.Out, "%s\t%s\n", r.Name, r.ARN)
			return nil
		},
	}
	return cmd
}
