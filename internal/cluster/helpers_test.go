package cluster

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsfake"
	"github.com/sparkify/sparkify/internal/config"
)

const testPassword = "Sup3rSecretPw9"

// rig is a Manager wired to a fresh fake, with its plan and log captured.
type rig struct {
	m      *Manager
	fake   *awsfake.Server
	plan   *bytes.Buffer
	mu     sync.Mutex
	logs   []string
	states []string
}

func testSpec() Spec {
	return Spec{
		Identifier: "sparkify-test", ClusterType: "multi-node", NodeType: "ra3.large", NumberOfNodes: 2,
		DBName: "dev", DBUser: "awsuser", DBPassword: config.Secret(testPassword), Port: 5439,
		RoleName: "sparkify-role", PolicyARN: config.DefaultS3PolicyARN,
	}
}

func newRig(t *testing.T) *rig {
	t.Helper()
	fake := awsfake.Start()
	t.Cleanup(fake.Close)
	r := &rig{fake: fake, plan: &bytes.Buffer{}}
	m := New(NewClients(fake.AWSConfig()), testSpec())
	m.Region = awsfake.Region
	m.PollInterval = time.Millisecond
	m.IPURL = fake.URL + "/checkip"
	m.Plan = r.plan
	m.Log = func(format string, args ...any) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.logs = append(r.logs, fmt.Sprintf(format, args...))
	}
	m.Progress = func(state string, _ time.Duration) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.states = append(r.states, state)
	}
	r.m = m
	return r
}

func (r *rig) logText() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.logs, "\n")
}

// noMutations fails when the fake received a changing call since the
// last ResetCalls.
func (r *rig) noMutations(t *testing.T, what string) {
	t.Helper()
	if muts := r.fake.Mutations(); len(muts) > 0 {
		var names []string
		for _, c := range muts {
			names = append(names, c.Service+" "+c.Action)
		}
		t.Errorf("%s made changing calls: %v", what, names)
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// noSecrets fails when the password or the AWS secret appears in s.
func noSecrets(t *testing.T, where, s string) {
	t.Helper()
	for _, secret := range []string{testPassword, awsfake.SecretAccessKey} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows a secret: %q", where, s)
		}
	}
}
