package awsconf

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/config"
)

// isolate keeps the developer's ~/.aws and instance metadata out of a test.
func isolate(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	t.Setenv("AWS_CONFIG_FILE", missing)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", missing)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
	}
}

func TestStaticCredentialsWin(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	c := &config.Config{AWS: config.AWS{Key: "AKIDFROMFILE", Secret: "file-secret", Region: "us-west-2", CredentialsFile: "aws_credentials"}}
	cfg, err := Load(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIDFROMFILE" || creds.SecretAccessKey != "file-secret" {
		t.Errorf("credentials from %q, want the static ones", creds.AccessKeyID)
	}
	if cfg.Region != "us-west-2" {
		t.Errorf("region %q, want the file's", cfg.Region)
	}
}

func TestChainUsedWithoutStaticKey(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	cfg, err := Load(context.Background(), &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "AKIDFROMENV" || cfg.Region != "eu-west-1" {
		t.Errorf("creds %q region %q err %v", creds.AccessKeyID, cfg.Region, err)
	}
}

func TestErrors(t *testing.T) {
	isolate(t)
	if _, err := Load(context.Background(), &config.Config{}); !errors.Is(err, ErrNoRegion) {
		t.Errorf("no region: err = %v", err)
	}
	c := &config.Config{AWS: config.AWS{Key: "AKID", Region: "us-west-2", CredentialsFile: "creds"}}
	_, err := Load(context.Background(), c)
	if !errors.Is(err, ErrIncompleteCredentials) || !strings.Contains(err.Error(), "creds") {
		t.Errorf("key without secret: err = %v", err)
	}
}
