package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/awsconf"
	"github.com/sparkify/sparkify/internal/cluster"
)

// ClusterOptions are the flags shared by every 'sparkify cluster' verb.
type ClusterOptions struct {
	// PollInterval and IPURL are hidden: for tests and the impatient.
	PollInterval time.Duration
	IPURL        string
	// JSON prints each verb's result as JSON on stdout; notes, progress
	// and dry-run plans then go to stderr.
	JSON bool
}

// defaultClusterTimeout bounds waits for a state change.
const defaultClusterTimeout = 30 * time.Minute

func newClusterCmd(f *Factory) *cobra.Command {
	opts := &ClusterOptions{}
	cmd := &cobra.Command{
		Use:   "cluster <verb>",
		Short: "Create, inspect, open, pause and delete the Amazon Redshift cluster",
		Long: `Manage the Redshift cluster of dwh.cfg [CLUSTER] and its IAM role [IAM_ROLE],
replacing the original project's aws_redshift.py. Credentials come from
aws_credentials ([AWS] KEY, SECRET, REGION) next to dwh.cfg, or from the
standard AWS chain (environment, ~/.aws, SSO, instance role).

With [CLUSTER] CLUSTER_TYPE = serverless (and WORKGROUP, NAMESPACE,
BASE_CAPACITY), up, status, open-port, close-port and down manage a
Redshift Serverless namespace and workgroup instead.

Every verb can run twice: what exists is reused, what is gone counts as
done. Every verb takes --json. Changing verbs take --dry-run to print the AWS calls they would make
(Describe/Get/List calls still run to know the current state).`,
		Example: `  sparkify cluster up              # role + cluster, wait, write HOST and ARN to dwh.cfg
  sparkify cluster open-port       # let your own address reach port 5439
  sparkify etl --warehouse redshift
  sparkify cluster pause
  sparkify cluster down --yes`,
	}
	pf := cmd.PersistentFlags()
	pf.DurationVar(&opts.PollInterval, "poll-interval", cluster.DefaultPollInterval, "time between status polls while waiting")
	pf.StringVar(&opts.IPURL, "ip-url", cluster.DefaultIPURL, "HTTPS endpoint that answers with your public IP address")
	pf.BoolVar(&opts.JSON, "json", false, "print the result as JSON (notes go to stderr)")
	pf.MarkHidden("poll-interval")
	pf.MarkHidden("ip-url")
	cmd.AddCommand(
		newClusterUpCmd(f, opts),
		newClusterStatusCmd(f, opts),
		newClusterRoleCmd(f, opts),
		newClusterOpenPortCmd(f, opts),
		newClusterClosePortCmd(f, opts),
		newClusterPauseCmd(f, opts),
		newClusterResumeCmd(f, opts),
		newClusterDownCmd(f, opts),
	)
	return cmd
}

// clusterManager builds a Manager from the configuration: AWS clients,
// dry-run plan on stdout, notes and progress on stderr.
func clusterManager(ctx context.Context, f *Factory, opts *ClusterOptions, dryRun bool) (*cluster.Manager, *waitProgress, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	awsCfg, err := awsconf.Load(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	m := cluster.New(cluster.NewClients(awsCfg), cluster.SpecFromConfig(cfg))
	m.Region = awsCfg.Region
	m.DryRun = dryRun
	m.Plan = f.IO.Out
	if opts.JSON {
		m.Plan = f.IO.ErrOut
	}
	m.Log = func(format string, args ...any) { fmt.Fprintf(f.IO.ErrOut, format+"\n", args...) }
	m.PollInterval = opts.PollInterval
	m.IPURL = opts.IPURL
	p := &waitProgress{f: f, id: m.Spec.Name()}
	m.Progress = p.update
	return m, p, nil
}

// waitProgress shows the cluster's state while waiting: one redrawn line
// on a terminal, one line per change of state in a pipe, nothing when
// --quiet.
type waitProgress struct {
	f     *Factory
	id    string
	last  string
	drawn bool
}

func (p *waitProgress) update(state string, elapsed time.Duration) {
	if p.f.Quiet {
		return
	}
	if p.f.IO.IsStderrTTY() {
		fmt.Fprintf(p.f.IO.ErrOut, "\r\033[Kwaiting for %s: %s (%s)", p.id, state, elapsed.Round(time.Second))
		p.drawn = true
		return
	}
	if state != p.last {
		fmt.Fprintf(p.f.IO.ErrOut, "%s: %s (%s)\n", p.id, state, elapsed.Round(time.Second))
	}
	p.last = state
}

// done ends the redrawn line.
func (p *waitProgress) done() {
	if p.drawn {
		fmt.Fprint(p.f.IO.ErrOut, "\r\033[K")
		p.drawn = false
	}
}

// clusterError turns refusals of bad flag values into usage errors.
func clusterError(err error) error {
	if errors.Is(err, cluster.ErrAnywhere) || errors.Is(err, cluster.ErrBadCIDR) {
		return &FlagError{Err: err}
	}
	return err
}

// clusterSay prints a human line: on stdout, or on stderr when stdout
// carries --json; nothing when --quiet.
func clusterSay(f *Factory, opts *ClusterOptions) func(format string, args ...any) {
	if !opts.JSON {
		return f.info
	}
	return func(format string, args ...any) {
		if !f.Quiet {
			fmt.Fprintf(f.IO.ErrOut, format+"\n", args...)
		}
	}
}

// clusterResult prints v as JSON when --json is set.
func clusterResult(f *Factory, opts *ClusterOptions, v any) error {
	if !opts.JSON {
		return nil
	}
	return writeJSON(f, v)
}

func writeJSON(f *Factory, v any) error {
	enc := json.NewEncoder(f.IO.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func addDryRunFlag(cmd *cobra.Command, dst *bool) {
	cmd.Flags().BoolVar(dst, "dry-run", false, "print the AWS calls that would be made, make none")
}

func addWaitFlags(f *Factory, cmd *cobra.Command, wait *bool, timeout *time.Duration, what string) {
	cmd.Flags().BoolVar(wait, "wait", f.IO.IsStderrTTY(), "wait until the cluster is "+what+" (default true on a terminal)")
	cmd.Flags().DurationVar(timeout, "timeout", defaultClusterTimeout, "give up waiting after this long")
}
