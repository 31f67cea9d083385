package redshift

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source/s3"
	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestRealCluster runs the whole load against a real Redshift cluster and
// S3, in a throwaway schema. It runs only when these name one:
//
//	SPARKIFY_REDSHIFT_DSN   redshift://user:password@host:5439/db
//	SPARKIFY_S3_STAGE       s3://bucket/prefix the cluster's role can read
//	SPARKIFY_REDSHIFT_ROLE  the IAM role ARN the cluster assumes for COPY
//	AWS_REGION (optional)   and the usual AWS credentials, to write the stage
//
// With SPARKIFY_E2E_SONGS and SPARKIFY_E2E_LOGS (s3:// prefixes, e.g. the
// original project's s3://udacity-dend/song_data and log_data) it also
// loads those, COPYed in place, and compares the star with DuckDB's load
// of the same objects.
//
// SPARKIFY_REDSHIFT_SERVERLESS_DSN, a Redshift Serverless workgroup's
// endpoint (redshift://user:password@WG.ACCOUNT.REGION.redshift-serverless.amazonaws.com:5439/dev),
// runs the same test there, where the load log is read from the SYS views.
func TestRealCluster(t *testing.T) {
	realCluster(t, "SPARKIFY_REDSHIFT_DSN")
}

// TestRealServerless is TestRealCluster on a Serverless workgroup.
func TestRealServerless(t *testing.T) {
	realCluster(t, "SPARKIFY_REDSHIFT_SERVERLESS_DSN")
}

// realCluster loads the sample into the warehouse the variable dsnEnv
// names (see TestRealCluster), or skips without it.
func realCluster(t *testing.T, dsnEnv string) {
	dsn, stage, role := os.Getenv(dsnEnv), os.Getenv("SPARKIFY_S3_STAGE"), os.Getenv("SPARKIFY_REDSHIFT_ROLE")
	if dsn == "" || stage == "" || role == "" {
		t.Skipf("no Redshift warehouse: set %s, SPARKIFY_S3_STAGE and SPARKIFY_REDSHIFT_ROLE to run", dsnEnv)
	}
	data := warehousetest.CopySample(t, 2)
	pgDSN, err := PostgresDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := openReal(t, dsn, pgDSN, role, stage)
	if songs, logs := os.Getenv("SPARKIFY_E2E_SONGS"), os.Getenv("SPARKIFY_E2E_LOGS"); songs != "" && logs != "" {
		t.Run("from S3", func(t *testing.T) { realS3Sources(t, dsn, pgDSN, role, stage, songs, logs) })
	}
	res := warehousetest.Load(t, w, data)
	if res.Status != pipeline.StatusSucceeded {
		t.Fatalf("load: %+v", res)
	}
	sameStar(t, "Redshift", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
	checkEventIDs(t, w)
	if again := warehousetest.Load(t, w, data); again.Status != pipeline.StatusNoop {
		t.Errorf("a rerun copied again: %+v", again.Sources)
	}
	warehousetest.AddSampleDay(t, data, 3)
	warehousetest.Load(t, w, data)
	sameStar(t, "Redshift after one more day", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))

	// A changed file of the first load's shared COPY: its COPY-mate is
	// staged again (copy_events_mates and load_replace_file on Redshift).
	f := warehousetest.LogFiles(t, data.Logs)[0]
	raw := must(os.ReadFile(f))
	os.WriteFile(f, raw[:bytes.LastIndexByte(raw[:len(raw)/2], '\n')], 0o644)
	future := time.Now().Add(time.Hour)
	os.Chtimes(f, future, future)
	res = warehousetest.Load(t, w, data)
	if s := res.Source("log"); s.FilesChanged != 1 || s.FilesRestaged != 1 {
		t.Errorf("a changed file: %d changed, %d restaged; want 1 and 1", s.FilesChanged, s.FilesRestaged)
	}
	sameStar(t, "Redshift after a changed file", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
}

// realS3Sources loads S3 prefixes into a schema of their own on the cluster
// and into DuckDB: the same star, and a rerun copies nothing.
func realS3Sources(t *testing.T, dsn, pgDSN, role, stage, songs, logs string) {
	ctx := context.Background()
	w, cfg := openReal(t, dsn, pgDSN, role, stage)
	sources := func() pipeline.Options {
		var o pipeline.Options
		var err error
		if o.Songs, err = s3.New(ctx, songs, cfg); err != nil {
			t.Fatal(err)
		}
		if o.Logs, err = s3.New(ctx, logs, cfg); err != nil {
			t.Fatal(err)
		}
		return o
	}
	if _, err := pipeline.Run(ctx, w, sources()); err != nil {
		t.Fatal(err)
	}
	duck, err := duckdb.Open(ctx, "duckdb:"+filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{Config: cfg}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	if _, err := pipeline.Run(ctx, duck, sources()); err != nil {
		t.Fatal(err)
	}
	sameStar(t, "Redshift from S3", warehousetest.DumpStar(t, w.DB()), warehousetest.DumpStar(t, duck.DB()))
	if again, err := pipeline.Run(ctx, w, sources()); err != nil || again.Status != pipeline.StatusNoop {
		t.Errorf("a rerun from S3: %v, %+v", err, again)
	}
}

// openReal opens the cluster in a throwaway schema, with its own stage
// prefix, closed when the test ends.
func openReal(t *testing.T, dsn, pgDSN, role, stage string) (*Warehouse, *config.Config) {
	schema := throwawaySchema(t, pgDSN)
	cfg := &config.Config{Stage: stage + "/" + schema, IAMRole: config.IAMRole{ARN: role}, AWS: config.AWS{Region: os.Getenv("AWS_REGION")}}
	w, err := open(context.Background(), dsn, testutil.WithSearchPath(pgDSN, schema), warehouse.Options{Config: cfg}, Statements(), hooks{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, cfg
}

// throwawaySchema creates a schema of a random name on the cluster, dropped
// when the test ends.
func throwawaySchema(t *testing.T, pgDSN string) string {
	ctx := context.Background()
	var b [4]byte
	rand.Read(b[:])
	schema := "sparkify_e2e_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, pgDSN)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		conn.Close(context.Background())
	})
	return schema
}
