package cluster

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DefaultPollInterval is the pause between DescribeClusters calls while
// waiting for a state change.
const DefaultPollInterval = 15 * time.Second

// DefaultIPURL answers with the caller's public IP address.
const DefaultIPURL = "https://checkip.amazonaws.com"

// Manager runs the lifecycle verbs for one Spec.
type Manager struct {
	Clients
	Spec Spec
	// Region is the AWS region, for messages.
	Region string
	// DryRun prints changing calls to Plan instead of making them.
	DryRun bool
	Plan   io.Writer
	// Log receives notes and warnings (drift, "already exists"); may be nil.
	Log func(format string, args ...any)
	// Progress is told the cluster's state at every poll while waiting.
	Progress func(state string, elapsed time.Duration)
	// PollInterval separates polls; Sleep and Now are the clock, for tests.
	PollInterval time.Duration
	Sleep        func(ctx context.Context, d time.Duration) error
	Now          func() time.Time
	// HTTPClient and IPURL find the caller's public address for open-port.
	HTTPClient *http.Client
	IPURL      string
}

// New returns a Manager with production defaults.
func New(c Clients, spec Spec) *Manager {
	return &Manager{Clients: c, Spec: spec, Plan: io.Discard, PollInterval: DefaultPollInterval, IPURL: DefaultIPURL}
}

func (m *Manager) logf(format string, args ...any) {
	if m.Log != nil {
		m.Log(format, args...)
	}
}

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Manager) sleep(ctx context.Context, d time.Duration) error {
	if m.Sleep != nil {
		return m.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (m *Manager) httpClient() *http.Client {
	if m.HTTPClient != nil {
		return m.HTTPClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// plural formats "n thing(s)".
func plural(n int, thing string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", thing)
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
