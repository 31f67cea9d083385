// Package config turns the classic dwh.cfg file, SPARKIFY_* environment
// variables and command-line flags into one typed Config.
//
// Precedence is flags > environment > dwh.cfg > defaults. This package is the
// only place in sparkify that reads the environment; everything else receives
// a *Config.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DefaultWarehouse is the warehouse used when nothing else names one.
const DefaultWarehouse = "duckdb:sparkify.duckdb"

// DefaultConfigFile is read when present and no other file is named.
const DefaultConfigFile = "dwh.cfg"

// DefaultMatchRateWarn is the catalog match rate below which checks warn.
const DefaultMatchRateWarn = 0.01

// DefaultS3PolicyARN is the policy attached to the cluster's IAM role.
const DefaultS3PolicyARN = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"

// Config is everything sparkify needs to know to run, from every source.
type Config struct {
	// File is the dwh.cfg that was read, or "" when none was.
	File string
	// Warehouse is the warehouse DSN: duckdb:PATH, postgres://..., redshift://...
	// or the shorthand "redshift" (built from [CLUSTER]).
	Warehouse string
	// Songs and Logs are the source locations (local folders or s3:// prefixes).
	Songs string
	Logs  string
	// Stage is an s3:// prefix where local files are uploaded for Redshift COPY.
	Stage string
	// LogJSONPath is the [S3] LOG_JSONPATH of the original project, if any.
	LogJSONPath string
	// NoFieldScan stops a Redshift load from reading the S3 objects that
	// COPY reads in place to find their fields outside the schema
	// (--no-field-scan, SPARKIFY_NO_FIELD_SCAN).
	NoFieldScan bool
	// NoSignRequest reads S3 sources with unsigned (anonymous) requests, as
	// public buckets allow (--no-sign-request, [S3] NO_SIGN_REQUEST,
	// SPARKIFY_S3_NO_SIGN_REQUEST). Writes to S3 are always signed.
	NoSignRequest bool

	Cluster Cluster
	IAMRole IAMRole
	AWS     AWS
	Checks  Checks

	// TestPause is for tests only (internal/reliability), from
	// SPARKIFY_TEST_PAUSE: a comma-separated list of load steps ("stage",
	// "staging", "staged", "transforming", "transformed", "commit",
	// "committed"; see the pipeline.Step constants) at which 'sparkify etl'
	// announces itself on stderr and blocks until it reads a line from stdin,
	// so a test can kill it, or break something, at a known point. Any
	// non-empty value makes etl announce every step it reaches. Never set it
	// in production.
	TestPause string
}

// Checks configures the data-quality checks ([SPARKIFY] CHECKS and
// MATCH_RATE_WARN in dwh.cfg).
type Checks struct {
	// File holds analysts' own checks; "" for none.
	File string
	// MatchRateWarn warns when a smaller share of plays matches the catalog.
	MatchRateWarn float64
}

// Cluster is the [CLUSTER] section of dwh.cfg.
type Cluster struct {
	Host          string
	DBName        string
	DBUser        string
	DBPassword    Secret
	DBPort        int
	Type          string // CLUSTER_TYPE: single-node or multi-node
	NodeType      string
	NumberOfNodes int
	Identifier    string
	// SubnetGroup and SecurityGroupIDs ([CLUSTER] SUBNET_GROUP,
	// SECURITY_GROUP_IDS, comma-separated) place a new cluster in a VPC of
	// your choice; empty means the account's default VPC.
	SubnetGroup      string
	SecurityGroupIDs []string
	// Workgroup, Namespace and BaseCapacity (RPUs) are for CLUSTER_TYPE =
	// serverless: Redshift Serverless instead of a provisioned cluster.
	Workgroup    string
	Namespace    string
	BaseCapacity int
}

// DefaultNodeType is the node type of a new cluster: the smallest RA3
// type. AWS no longer creates DC2 clusters in most accounts.
const DefaultNodeType = "ra3.large"

// Serverless reports whether [CLUSTER] CLUSTER_TYPE asks for Redshift
// Serverless.
func (c Cluster) Serverless() bool { return strings.EqualFold(c.Type, "serverless") }

// IAMRole is the [IAM_ROLE] section of dwh.cfg.
type IAMRole struct {
	Name        string
	ARN         string
	S3PolicyARN string
}

// AWS holds static credentials from the original project's aws_credentials
// file or dwh.cfg [AWS]; when Key is empty the SDK's default chain is used.
type AWS struct {
	Key    string
	Secret Secret
	Region string
	// CredentialsFile is the aws_credentials file that was read, if any.
	CredentialsFile string
}

// Flags are the values given on the command line. Empty means "not given".
type Flags struct {
	ConfigFile      string
	Warehouse       string
	Songs           string
	Logs            string
	Stage           string
	CredentialsFile string
	ChecksFile      string
	NoFieldScan     bool
	NoSignRequest   bool
}

// Env looks up an environment variable; os.Getenv in production.
type Env func(string) string

// ErrNoConfigFile is returned when a config file named explicitly is missing.
var ErrNoConfigFile = errors.New("config file not found")

// Load builds the Config. getenv may be nil to mean os.Getenv.
func Load(flags Flags, getenv Env) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := defaults()

	path, explicit := flags.ConfigFile, flags.ConfigFile != ""
	if !explicit {
		if p := getenv("SPARKIFY_CONFIG"); p != "" {
			path, explicit = p, true
		} else {
			path = DefaultConfigFile
		}
	}
	if err := c.readCfgFile(path, explicit); err != nil {
		return nil, err
	}
	credFile, credExplicit := flags.CredentialsFile, flags.CredentialsFile != ""
	if !credExplicit {
		if p := getenv("SPARKIFY_AWS_CREDENTIALS"); p != "" {
			credFile, credExplicit = p, true
		} else {
			credFile = filepath.Join(filepath.Dir(path), "aws_credentials")
		}
	}
	if err := c.readCredentialsFile(credFile, credExplicit); err != nil {
		return nil, err
	}
	c.applyEnv(getenv)
	c.applyFlags(flags)
	return c, nil
}

func defaults() *Config {
	return &Config{
		Warehouse: DefaultWarehouse,
		Cluster: Cluster{
			DBPort:        5439,
			Type:          "multi-node",
			NodeType:      DefaultNodeType,
			NumberOfNodes: 2,
			Identifier:    "sparkify-cluster",
			DBName:        "sparkify",
			DBUser:        "sparkify",
			Workgroup:     "sparkify",
			Namespace:     "sparkify",
			BaseCapacity:  8,
		},
		IAMRole: IAMRole{Name: "sparkify-redshift-s3-read", S3PolicyARN: DefaultS3PolicyARN},
		Checks:  Checks{MatchRateWarn: DefaultMatchRateWarn},
	}
}

func (c *Config) applyEnv(getenv Env) {
	set := func(dst *string, name string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	set(&c.Warehouse, "SPARKIFY_WAREHOUSE")
	set(&c.Songs, "SPARKIFY_SONGS")
	set(&c.Logs, "SPARKIFY_LOGS")
	set(&c.Stage, "SPARKIFY_STAGE")
	set(&c.Checks.File, "SPARKIFY_CHECKS")
	set(&c.TestPause, "SPARKIFY_TEST_PAUSE")
	if v := getenv("SPARKIFY_NO_FIELD_SCAN"); v != "" && v != "0" && v != "false" {
		c.NoFieldScan = true
	}
	if v := getenv("SPARKIFY_S3_NO_SIGN_REQUEST"); v != "" {
		c.NoSignRequest = v != "0" && !strings.EqualFold(v, "false")
	}
	// The password is preferred from the environment, so dwh.cfg can omit it.
	for _, name := range []string{"PGPASSWORD", "SPARKIFY_DB_PASSWORD"} {
		if v := getenv(name); v != "" {
			c.Cluster.DBPassword = Secret(v)
		}
	}
}

func (c *Config) applyFlags(f Flags) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&c.Warehouse, f.Warehouse)
	set(&c.Songs, f.Songs)
	set(&c.Logs, f.Logs)
	set(&c.Stage, f.Stage)
	set(&c.Checks.File, f.ChecksFile)
	c.NoFieldScan = c.NoFieldScan || f.NoFieldScan
	c.NoSignRequest = c.NoSignRequest || f.NoSignRequest
}

// Password returns the database password from the environment or dwh.cfg.
func (c *Config) Password() Secret { return c.Cluster.DBPassword }

// RedshiftDSN builds redshift://USER@HOST:PORT/DB from [CLUSTER]; the
// password is never part of it.
func (c *Config) RedshiftDSN() (string, error) {
	if c.Cluster.Host == "" {
		return "", fmt.Errorf("no Redshift host yet: run 'sparkify cluster up' to create the cluster and record its endpoint as [CLUSTER] HOST in %s (or set HOST yourself)", c.fileName())
	}
	user := c.Cluster.DBUser
	return fmt.Sprintf("redshift://%s@%s:%d/%s", user, c.Cluster.Host, c.Cluster.DBPort, c.Cluster.DBName), nil
}

// WarehouseDSN resolves the warehouse setting to a full DSN, expanding the
// "redshift" shorthand from [CLUSTER].
func (c *Config) WarehouseDSN() (string, error) {
	if strings.EqualFold(c.Warehouse, "redshift") {
		return c.RedshiftDSN()
	}
	return c.Warehouse, nil
}

func (c *Config) fileName() string {
	if c.File == "" {
		return DefaultConfigFile
	}
	return c.File
}

func atoi(section, key, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("[%s] %s: %q is not a whole number", section, key, v)
	}
	return n, nil
}
