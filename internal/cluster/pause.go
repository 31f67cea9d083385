package cluster

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
)

// WaitOptions say whether and how long to wait for a state change.
type WaitOptions struct {
	Wait    bool
	Timeout time.Duration
}

// StateResult is the cluster after pause or resume.
type StateResult struct {
	Cluster *Info `json:"cluster"`
	Changed bool  `json:"changed"` // false when it already was (or was becoming) so
}

// Pause stops the cluster's compute billing; a paused or pausing cluster
// is left as it is.
func (m *Manager) Pause(ctx context.Context, opts WaitOptions) (*StateResult, error) {
	return m.setState(ctx, opts, "PauseCluster", goalPaused, []string{"paused", "pausing"}, func(ctx context.Context, id *string) error {
		_, err := m.Redshift.PauseCluster(ctx, &redshift.PauseClusterInput{ClusterIdentifier: id})
		return err
	})
}

// Resume starts a paused cluster again; an available or resuming cluster
// is left as it is.
func (m *Manager) Resume(ctx context.Context, opts WaitOptions) (*StateResult, error) {
	return m.setState(ctx, opts, "ResumeCluster", goalAvailable, []string{"available", "resuming"}, func(ctx context.Context, id *string) error {
		_, err := m.Redshift.ResumeCluster(ctx, &redshift.ResumeClusterInput{ClusterIdentifier: id})
		return err
	})
}

func (m *Manager) setState(ctx context.Context, opts WaitOptions, op string, g goal, already []string,
	do func(context.Context, *string) error) (*StateResult, error) {
	c, err := m.mustDescribe(ctx, op)
	if err != nil {
		return nil, err
	}
	res := &StateResult{Cluster: infoOf(c)}
	st := state(c)
	isAlready := false
	for _, s := range already {
		isAlready = isAlready || st == s
	}
	if !isAlready {
		call := Call{"redshift", op, []Param{{"ClusterIdentifier", m.Spec.Identifier}}}
		err := m.change(ctx, call, func(ctx context.Context) error { return do(ctx, aws.String(m.Spec.Identifier)) })
		if err != nil {
			return res, m.explain("redshift", op, err)
		}
		res.Changed = true
	}
	if !opts.Wait || st == already[0] {
		return res, nil
	}
	if m.DryRun {
		m.planNote("wait until cluster %s is %s (timeout %s)", m.Spec.Identifier, g.name, opts.Timeout)
		return res, nil
	}
	c, err = m.wait(ctx, g, opts.Timeout)
	if c != nil {
		res.Cluster = infoOf(c)
	}
	return res, err
}
