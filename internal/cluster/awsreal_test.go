//go:build awsreal

package cluster

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/awsconf"
	"github.com/sparkify/sparkify/internal/config"
)

// TestRealAWS runs the whole lifecycle against real AWS, on a throwaway
// cluster of the default size (2 x ra3.large: whether ra3.large takes a
// single node is not documented where we could check) and role. It costs
// money and takes ~15 minutes:
//
//	SPARKIFY_AWS_REAL=1 SPARKIFY_DB_PASSWORD=... go test -tags awsreal -run RealAWS -timeout 60m ./internal/cluster/
//
// Credentials and region come from dwh.cfg/aws_credentials (SPARKIFY_CONFIG)
// or the standard AWS chain.
func TestRealAWS(t *testing.T) {
	if os.Getenv("SPARKIFY_AWS_REAL") != "1" {
		t.Skip("set SPARKIFY_AWS_REAL=1 to run against real AWS (creates a billed cluster)")
	}
	realLifecycle(t, func(spec *Spec, suffix string) {
		spec.Identifier, spec.RoleName = "sparkify-awsreal-"+suffix, "sparkify-awsreal-"+suffix
	}, nil)
}

// realLifecycle runs up (waiting), open-port, status and close-port on
// real AWS with the configured spec as adjust changes it (names made
// unique by suffix), checks up's result with checkUp when given, and
// always runs down at the end.
func realLifecycle(t *testing.T, adjust func(spec *Spec, suffix string), checkUp func(up *UpResult)) {
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
	adjust(&spec, fmt.Sprint(time.Now().Unix()))
	m := New(NewClients(awsCfg), spec)
	m.Region = awsCfg.Region
	m.Log = t.Logf
	m.Progress = func(state string, d time.Duration) { t.Logf("%s after %s", state, d) }
	defer func() {
		if _, err := m.Down(context.Background(), DownOptions{Timeout: 30 * time.Minute}); err != nil {
			t.Errorf("down: %v (clean up %s and role %s by hand)", err, spec.Name(), spec.RoleName)
		}
	}()
	up, err := m.Up(ctx, UpOptions{Wait: true, Timeout: 30 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if checkUp != nil {
		checkUp(up)
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

// TestRealAWSServerless runs the Serverless lifecycle against real AWS: a
// throwaway namespace, workgroup (the smallest base capacity the account
// allows is taken from BASE_CAPACITY, default 8 RPUs) and role; up waits
// for the workgroup and reads its endpoint, open-port opens it, down
// deletes all three. It bills RPU-hours only while queries run, and takes
// ~10 minutes:
//
//	SPARKIFY_AWS_REAL_SERVERLESS=1 SPARKIFY_DB_PASSWORD=... go test -tags awsreal -run RealAWSServerless -timeout 60m ./internal/cluster/
func TestRealAWSServerless(t *testing.T) {
	if os.Getenv("SPARKIFY_AWS_REAL_SERVERLESS") != "1" {
		t.Skip("set SPARKIFY_AWS_REAL_SERVERLESS=1 to run against real AWS (creates a Redshift Serverless workgroup)")
	}
	realLifecycle(t, func(spec *Spec, suffix string) {
		spec.Serverless = true
		spec.Workgroup, spec.Namespace, spec.RoleName = "sparkify-wg-"+suffix, "sparkify-ns-"+suffix, "sparkify-awsreal-"+suffix
		if spec.BaseCapacity == 0 {
			spec.BaseCapacity = 8
		}
	}, func(up *UpResult) {
		if !strings.HasSuffix(up.Cluster.Host, ".redshift-serverless.amazonaws.com") {
			t.Errorf("the workgroup's endpoint %q is not a Serverless host", up.Cluster.Host)
		}
	})
}
