package cluster

import (
	"context"
	"fmt"
	"slices"
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

// stateChange is pause or resume: the one state the call is accepted in
// (PauseCluster and ResumeCluster answer InvalidClusterState otherwise:
// https://docs.aws.amazon.com/goto/WebAPI/redshift/PauseCluster,
// https://docs.amazonaws.cn/redshift/latest/APIReference/API_ResumeCluster.html), the states that mean it is done or under way,
// and the goal to wait for.
type stateChange struct {
	op, verb string
	from     string   // the state the call needs
	already  []string // done ([0]) or under way
	goal     goal
	call     func(m *Manager, ctx context.Context, id *string) error
}

var (
	pauseChange = stateChange{op: "PauseCluster", verb: "paused", from: "available", already: []string{"paused", "pausing"}, goal: goalPaused,
		call: func(m *Manager, ctx context.Context, id *string) error {
			_, err := m.Redshift.PauseCluster(ctx, &redshift.PauseClusterInput{ClusterIdentifier: id})
			return err
		}}
	resumeChange = stateChange{op: "ResumeCluster", verb: "resumed", from: "paused", already: []string{"available", "resuming"}, goal: goalResumed,
		call: func(m *Manager, ctx context.Context, id *string) error {
			_, err := m.Redshift.ResumeCluster(ctx, &redshift.ResumeClusterInput{ClusterIdentifier: id})
			return err
		}}
)

// Pause stops the cluster's compute billing; a paused or pausing cluster
// is left as it is. A cluster in any other state than available is
// refused before any change, with its state in the message.
func (m *Manager) Pause(ctx context.Context, opts WaitOptions) (*StateResult, error) {
	return m.setState(ctx, opts, pauseChange)
}

// Resume starts a paused cluster again; an available or resuming cluster
// is left as it is. With Wait it waits until available, through the
// polls that may still say paused just after the call.
func (m *Manager) Resume(ctx context.Context, opts WaitOptions) (*StateResult, error) {
	return m.setState(ctx, opts, resumeChange)
}

func (m *Manager) setState(ctx context.Context, opts WaitOptions, sc stateChange) (*StateResult, error) {
	if m.Spec.Serverless {
		return nil, fmt.Errorf("%w: pause and resume are for provisioned clusters; a Redshift Serverless workgroup (CLUSTER_TYPE = serverless) bills only while it runs queries", ErrBadSpec)
	}
	c, err := m.mustDescribe(ctx, sc.op)
	if err != nil {
		return nil, err
	}
	res := &StateResult{Cluster: infoOf(c)}
	st := state(c)
	switch {
	case slices.Contains(sc.already, st):
	case st != sc.from:
		return res, fmt.Errorf("%w: cluster %s is %s; only %s cluster can be %s: see 'sparkify cluster status' and try again when it is %s",
			ErrInvalidState, m.Spec.Identifier, st, article(sc.from), sc.verb, sc.from)
	default:
		call := Call{"redshift", sc.op, []Param{{"ClusterIdentifier", m.Spec.Identifier}}}
		err := m.change(ctx, call, func(ctx context.Context) error { return sc.call(m, ctx, aws.String(m.Spec.Identifier)) })
		if err != nil {
			return res, m.explain("redshift", sc.op, err)
		}
		res.Changed = true
	}
	if !opts.Wait || st == sc.already[0] {
		return res, nil
	}
	if m.DryRun {
		m.planNote("wait until cluster %s is %s (timeout %s)", m.Spec.Identifier, sc.goal.name, opts.Timeout)
		return res, nil
	}
	c, err = m.wait(ctx, sc.goal, opts.Timeout)
	if c != nil {
		res.Cluster = infoOf(c)
	}
	return res, err
}

func article(state string) string {
	if state == "available" {
		return "an available"
	}
	return "a " + state
}
