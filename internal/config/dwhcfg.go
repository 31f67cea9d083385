package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"gopkg.in/ini.v1"
)

// readCfgFile reads the classic dwh.cfg. A missing file is an error only when
// it was named explicitly.
func (c *Config) readCfgFile(path string, explicit bool) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s", ErrNoConfigFile, path)
		}
		return fmt.Errorf("read config: %w", err)
	}
	f, err := parseINI(data)
	if err != nil {
		return iniError(path, data)
	}
	c.File = path
	return c.apply(f)
}

// parseINI parses dwh.cfg the way Python's configparser does: section and
// key names are case-insensitive, quotes around values are stripped, and a
// backslash at the end of a line is part of the value (configparser has no
// backslash continuation; gopkg.in/ini would join the next line to it).
func parseINI(data []byte) (*ini.File, error) {
	return ini.LoadSources(ini.LoadOptions{
		Insensitive:              true,
		IgnoreContinuation:       true,
		IgnoreInlineComment:      true,
		AllowBooleanKeys:         true,
		SpaceBeforeInlineComment: true,
	}, data)
}

// iniError says which line of a file does not parse, without quoting it:
// the line may hold a password, and the parser's own message would show it.
func iniError(path string, data []byte) error {
	lines := strings.SplitAfter(string(data), "\n")
	for n := 1; n <= len(lines); n++ {
		if _, err := parseINI([]byte(strings.Join(lines[:n], ""))); err != nil {
			return fmt.Errorf("%s line %d: cannot be read as an INI setting (check its quotes and brackets)", path, n)
		}
	}
	return fmt.Errorf("%s: cannot be read as an INI file", path)
}

// lookup returns the first non-empty value among section/key pairs. Keys are
// also tried with the DWH_ prefix that many copies of the original use.
func lookup(f *ini.File, sections []string, keys ...string) string {
	for _, s := range sections {
		sec, err := f.GetSection(s)
		if err != nil {
			continue
		}
		for _, k := range keys {
			for _, name := range []string{k, "dwh_" + k} {
				if sec.HasKey(name) {
					if v := strings.TrimSpace(unquote(sec.Key(name).String())); v != "" {
						return v
					}
				}
			}
		}
	}
	return ""
}

// unquote strips one pair of matching quotes that ini left in place.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

func (c *Config) apply(f *ini.File) error {
	cluster := []string{"cluster", "dwh"}
	setStr := func(dst *string, sections []string, keys ...string) {
		if v := lookup(f, sections, keys...); v != "" {
			*dst = v
		}
	}
	setInt := func(dst *int, sections []string, keys ...string) error {
		v := lookup(f, sections, keys...)
		if v == "" {
			return nil
		}
		n, err := atoi(sections[0], strings.ToUpper(keys[0]), v)
		if err != nil {
			return err
		}
		*dst = n
		return nil
	}

	setStr(&c.Cluster.Host, cluster, "host", "endpoint")
	setStr(&c.Cluster.DBName, cluster, "db_name", "db")
	setStr(&c.Cluster.DBUser, cluster, "db_user")
	if v := lookup(f, cluster, "db_password"); v != "" {
		c.Cluster.DBPassword = Secret(v)
	}
	if err := setInt(&c.Cluster.DBPort, cluster, "db_port", "port"); err != nil {
		return err
	}
	setStr(&c.Cluster.Type, cluster, "cluster_type")
	setStr(&c.Cluster.NodeType, cluster, "node_type")
	if err := setInt(&c.Cluster.NumberOfNodes, cluster, "number_of_nodes", "num_nodes"); err != nil {
		return err
	}
	setStr(&c.Cluster.Identifier, cluster, "cluster_identifier")
	setStr(&c.Cluster.SubnetGroup, cluster, "subnet_group", "cluster_subnet_group_name")
	if v := lookup(f, cluster, "security_group_ids", "vpc_security_group_ids"); v != "" {
		c.Cluster.SecurityGroupIDs = splitList(v)
	}
	setStr(&c.Cluster.Workgroup, cluster, "workgroup")
	setStr(&c.Cluster.Namespace, cluster, "namespace")
	if err := setInt(&c.Cluster.BaseCapacity, cluster, "base_capacity"); err != nil {
		return err
	}

	role := []string{"iam_role", "dwh"}
	setStr(&c.IAMRole.ARN, role, "arn", "role_arn")
	setStr(&c.IAMRole.Name, role, "role_name", "iam_role_name", "name")
	setStr(&c.IAMRole.S3PolicyARN, role, "s3_policy_arn", "policy_arn")

	s3 := []string{"s3"}
	setStr(&c.Songs, s3, "song_data")
	setStr(&c.Logs, s3, "log_data")
	setStr(&c.LogJSONPath, s3, "log_jsonpath")
	if v := lookup(f, s3, "no_sign_request"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("[S3] NO_SIGN_REQUEST: %q is not true or false", v)
		}
		c.NoSignRequest = b
	}
	setStr(&c.Stage, []string{"sparkify", "s3"}, "stage")
	setStr(&c.Warehouse, []string{"sparkify"}, "warehouse")
	setStr(&c.Checks.File, []string{"sparkify"}, "checks")
	if v := lookup(f, []string{"sparkify"}, "match_rate_warn"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 || r > 1 {
			return fmt.Errorf("[SPARKIFY] MATCH_RATE_WARN: %q is not a share between 0 and 1", v)
		}
		c.Checks.MatchRateWarn = r
	}

	c.applyAWSSection(f)
	return nil
}

func (c *Config) applyAWSSection(f *ini.File) {
	aws := []string{"aws"}
	if v := lookup(f, aws, "key", "aws_access_key_id"); v != "" {
		c.AWS.Key = v
	}
	if v := lookup(f, aws, "secret", "aws_secret_access_key"); v != "" {
		c.AWS.Secret = Secret(v)
	}
	if v := lookup(f, aws, "region"); v != "" {
		c.AWS.Region = v
	}
}

// readCredentialsFile reads the original project's aws_credentials file:
//
//	[AWS]
//	KEY=...
//	SECRET=...
//	REGION=us-west-2
func (c *Config) readCredentialsFile(path string, explicit bool) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read AWS credentials file: %w", err)
	}
	f, err := parseINI(data)
	if err != nil {
		return iniError(path, data)
	}
	c.AWS.CredentialsFile = path
	c.applyAWSSection(f)
	return nil
}

// splitList reads a comma- or space-separated list.
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}
