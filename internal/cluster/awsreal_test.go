//go:build awsreal

package cluster

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsconf"
	"github.com/sparkify/sparkify/internal/config"
)

// TestRealAWS runs the whole lifecycle against real AWS, on a throwaway
// single-node cluster and role. It costs money and takes ~15 minutes:
//
//	SPARKIFY_AWS_REAL=1 SPARKIFY_DB_PASSWORD=... go test -tags awsreal -run RealAWS -timeout 60m ./internal/cluster/
//
// Credentials and region come from dwh.cfg/aws_credentials (SPARKIFY_CONFIG)
// or the standard AWS chain.
func TestRealAWS(t *testing.T) {
	if os.Getenv("SPARKIFY_AWS_REAL") != "1" {
		t.Skip("set SPARKIFY_AWS_REAL=1 to run against real AWS (creates a billed cluster)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 55*time.Minute)
	defer cancel()
	cfg, err := config.Load(config.Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	awsCfg, err := awsconf.Load(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	spec := SpecFromConfig(cfg)
	suffix := fmt.Sprint(time.Now().Unix())
	spec.Identifier, spec.RoleName = "sparkify-awsreal-"+suffix, "sparkify-awsreal-"+suffix
	spec.ClusterType, spec.NumberOfNodes = "single-node", 1
	m := New(NewClients(awsCfg), spec)
	m.Region = awsCfg.Region
	m.Log = t.Logf
	m.Progress = func(state string, d time.Duration) { t.Logf("%s after %s", state, d) }
	defer func() {
		if _, err := m.Down(context.Background(), DownOptions{Timeout: 30 * time.Minute}); err != nil {
			t.Errorf("down: %v (clean up %s by hand)", err, spec.Identifier)
		}
	}()
	if _, err := m.Up(ctx, UpOptions{Wait: true, Timeout: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.OpenPort(ctx, OpenPortOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := m.Status(ctx)
	if err != nil || st.State != "available" || len(st.Ingress) == 0 {
		t.Fatalf("status %+v, %v", st, err)
	}
	if _, err := m.ClosePort(ctx); err != nil {
		t.Fatal(err)
	}
}
