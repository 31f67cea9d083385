package redshift

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/sparkify/sparkify/internal/warehouse/postgres"
)

// DefaultPort is Redshift's port.
const DefaultPort = "5439"

// PostgresDSN turns redshift://user@host:5439/db?... into the postgres://
// form pgx parses. The port defaults to 5439 and sslmode to require
// (Redshift clusters accept TLS; require never falls back to plain text).
func PostgresDSN(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || !strings.EqualFold(u.Scheme, "redshift") || u.Host == "" {
		return "", fmt.Errorf("redshift DSN %s: want redshift://user@host:5439/db", Describe(dsn))
	}
	u.Scheme = "postgres"
	if u.Port() == "" {
		u.Host += ":" + DefaultPort
	}
	q := u.Query()
	q.Del(serverlessParam) // sparkify's, not a server parameter
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "require")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// serverlessParam is the DSN parameter that says whether the endpoint is
// Redshift Serverless, for hosts that do not say it themselves.
const serverlessParam = "serverless"

// Serverless reports whether a DSN names Redshift Serverless: its
// ?serverless=true|false when given, else whether the host is a Serverless
// endpoint (WORKGROUP.ACCOUNT.REGION.redshift-serverless.amazonaws.com).
// Another host name (a VPC endpoint's, a tunnel's) needs the parameter.
func Serverless(dsn string) bool {
	u, err := url.Parse(dsn)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Query().Get(serverlessParam)) {
	case "true", "1", "yes":
		return true
	case "false", "0", "no":
		return false
	}
	return strings.HasSuffix(strings.ToLower(u.Hostname()), ".redshift-serverless.amazonaws.com")
}

// Describe renders a DSN without its password.
func Describe(dsn string) string { return postgres.Describe(dsn) }

// RegionOf reads the region from a cluster endpoint
// (name.id.REGION.redshift.amazonaws.com); "" for other hosts.
func RegionOf(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.ToLower(u.Hostname()), ".")
	for i := 1; i+1 < len(parts); i++ {
		if parts[i+1] == "redshift" || parts[i+1] == "redshift-serverless" {
			if validRegion(parts[i]) {
				return parts[i]
			}
		}
	}
	return ""
}
