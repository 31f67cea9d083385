package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) Env { return func(k string) string { return m[k] } }

func TestLoadClassicDwhCfg(t *testing.T) {
	c, err := Load(Flags{ConfigFile: "testdata/dwh.cfg"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"host":     {c.Cluster.Host, "dwhcluster.abc123.us-west-2.redshift.amazonaws.com"},
		"db":       {c.Cluster.DBName, "dwh"},
		"user":     {c.Cluster.DBUser, "dwhuser"},
		"password": {c.Cluster.DBPassword.Reveal(), "Passw0rd-from-file"},
		"arn":      {c.IAMRole.ARN, "arn:aws:iam::123456789012:role/dwhRole"},
		"songs":    {c.Songs, "s3://udacity-dend/song_data"},
		"logs":     {c.Logs, "s3://udacity-dend/log_data"},
		"jsonpath": {c.LogJSONPath, "s3://udacity-dend/log_json_path.json"},
		"wh":       {c.Warehouse, DefaultWarehouse},
	}
	for name, got := range checks {
		if got[0] != got[1] {
			t.Errorf("%s = %q, want %q", name, got[0], got[1])
		}
	}
	if c.Cluster.DBPort != 5439 {
		t.Errorf("port = %d", c.Cluster.DBPort)
	}
	dsn, err := (&Config{Warehouse: "redshift", Cluster: c.Cluster}).WarehouseDSN()
	if err != nil || dsn != "redshift://dwhuser@dwhcluster.abc123.us-west-2.redshift.amazonaws.com:5439/dwh" {
		t.Errorf("redshift dsn = %q, %v", dsn, err)
	}
}

func TestPrecedenceFlagsOverEnvOverFile(t *testing.T) {
	e := env(map[string]string{
		"SPARKIFY_SONGS":       "/env/songs",
		"SPARKIFY_LOGS":        "/env/logs",
		"SPARKIFY_WAREHOUSE":   "duckdb:env.duckdb",
		"PGPASSWORD":           "from-pgpassword",
		"SPARKIFY_DB_PASSWORD": "from-sparkify-env",
	})
	c, err := Load(Flags{ConfigFile: "testdata/dwh.cfg", Songs: "/flag/songs"}, e)
	if err != nil {
		t.Fatal(err)
	}
	if c.Songs != "/flag/songs" {
		t.Errorf("songs = %q, want the flag", c.Songs)
	}
	if c.Logs != "/env/logs" {
		t.Errorf("logs = %q, want the env value over dwh.cfg", c.Logs)
	}
	if c.Warehouse != "duckdb:env.duckdb" {
		t.Errorf("warehouse = %q", c.Warehouse)
	}
	if c.Password().Reveal() != "from-sparkify-env" {
		t.Errorf("password precedence wrong: SPARKIFY_DB_PASSWORD should win")
	}
}

func TestMissingDefaultFileIsFine(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := Load(Flags{}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "" || c.Warehouse != DefaultWarehouse {
		t.Errorf("got file %q warehouse %q", c.File, c.Warehouse)
	}
	if _, err := Load(Flags{ConfigFile: "nope.cfg"}, env(nil)); !errors.Is(err, ErrNoConfigFile) {
		t.Errorf("explicit missing file: err = %v, want ErrNoConfigFile", err)
	}
}

func TestAWSCredentialsFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dwh.cfg")
	os.WriteFile(cfg, []byte("[S3]\nSONG_DATA=songs\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "aws_credentials"), []byte("[AWS]\nKEY=AKIAEXAMPLE\nSECRET=shh-secret\nREGION=us-west-2\n"), 0o600)
	c, err := Load(Flags{ConfigFile: cfg}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.AWS.Key != "AKIAEXAMPLE" || c.AWS.Secret.Reveal() != "shh-secret" || c.AWS.Region != "us-west-2" {
		t.Errorf("aws = %+v", c.AWS)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2")
	c := Config{Cluster: Cluster{DBPassword: s}, AWS: AWS{Secret: s}}
	outs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %s %q %x %+v %#v", s, s, s, s, c, c),
	}
	b, _ := json.Marshal(c)
	outs = append(outs, string(b))
	for _, o := range outs {
		if strings.Contains(o, "hunter2") || strings.Contains(o, "68756e74657232") {
			t.Errorf("secret leaked in %q", o)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal lost the value")
	}
}

func TestBadPort(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dwh.cfg")
	os.WriteFile(cfg, []byte("[CLUSTER]\nDB_PORT=abc\n"), 0o600)
	_, err := Load(Flags{ConfigFile: cfg}, env(nil))
	if err == nil || !strings.Contains(err.Error(), "DB_PORT") {
		t.Errorf("err = %v, want one naming DB_PORT", err)
	}
}

func TestBrokenLineErrorHidesItsText(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dwh.cfg")
	os.WriteFile(cfg, []byte("[CLUSTER]\nDB_USER=u\nDB_PASSWORD=\"\"\"s3cr3t-pw\n"), 0o600)
	_, err := Load(Flags{ConfigFile: cfg}, env(nil))
	if err == nil || strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v: want the line number and no password", err)
	}
}

func TestNoFieldScan(t *testing.T) {
	cases := []struct {
		env  string
		flag bool
		want bool
	}{
		{"", false, false}, {"1", false, true}, {"0", false, false}, {"false", false, false}, {"", true, true},
	}
	for _, c := range cases {
		got, err := Load(Flags{ConfigFile: "testdata/dwh.cfg", NoFieldScan: c.flag}, env(map[string]string{"SPARKIFY_NO_FIELD_SCAN": c.env}))
		if err != nil {
			t.Fatal(err)
		}
		if got.NoFieldScan != c.want {
			t.Errorf("SPARKIFY_NO_FIELD_SCAN=%q, --no-field-scan %v: NoFieldScan %v, want %v", c.env, c.flag, got.NoFieldScan, c.want)
		}
	}
}
