package redshift

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// MaxErrorLimit is the largest MAXERROR Redshift accepts.
const MaxErrorLimit = 100000

// Copy is one COPY statement: a temporary raw table filled from the S3
// objects a manifest lists.
type Copy struct {
	Table    string   // tmp_copy_events or tmp_copy_songs
	Columns  []string // the column list (with a JSONPaths document); nil for 'auto ignorecase'
	Manifest string   // s3:// URL of the manifest
	IAMRole  string   // role ARN the cluster assumes to read S3
	// JSONPaths is the s3:// URL of a JSONPaths document, or "" for
	// 'auto ignorecase' (field names matched to column names).
	JSONPaths string
	GZIP      bool   // the objects are gzip-compressed
	Region    string // the objects' region when it is not the cluster's; "" otherwise
	MaxError  int64  // rows COPY may reject before it fails
}

// copyText is what the copy_json template sees: every value already quoted.
type copyText struct {
	Table, Columns, Manifest, IAMRole, Format, Region string
	GZIP                                              bool
	MaxError                                          int64
}

// Render renders the statement from the engine's copy_json template. Every
// value that ends up in the text is quoted by Literal; a value that cannot
// be quoted is an error.
func (c *Copy) Render(set *sqlset.Set) (string, error) {
	tmpl, err := set.Text("copy_json")
	if err != nil {
		return "", err
	}
	v := copyText{Table: Ident(c.Table), GZIP: c.GZIP, MaxError: min(max(c.MaxError, 0), MaxErrorLimit)}
	if len(c.Columns) > 0 {
		cols := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			cols[i] = Ident(col)
		}
		v.Columns = "(" + strings.Join(cols, ", ") + ")"
	}
	if v.Manifest, err = Literal(c.Manifest); err != nil {
		return "", fmt.Errorf("manifest location: %w", err)
	}
	if c.IAMRole == "" {
		return "", fmt.Errorf("no IAM role for COPY: set [IAM_ROLE] ARN in dwh.cfg (sparkify cluster up writes it)")
	}
	if !strings.HasPrefix(c.IAMRole, "arn:") {
		return "", fmt.Errorf("IAM role %q is not an ARN (arn:aws:iam::ACCOUNT:role/NAME)", c.IAMRole)
	}
	if v.IAMRole, err = Literal(c.IAMRole); err != nil {
		return "", fmt.Errorf("IAM role: %w", err)
	}
	v.Format = "'auto ignorecase'"
	if c.JSONPaths != "" {
		if v.Format, err = Literal(c.JSONPaths); err != nil {
			return "", fmt.Errorf("JSONPaths location: %w", err)
		}
	}
	if c.Region != "" {
		if !validRegion(c.Region) {
			return "", fmt.Errorf("%w: %q is not an AWS region name", ErrUnquotable, c.Region)
		}
		if v.Region, err = Literal(c.Region); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	t, err := template.New("copy_json").Parse(tmpl)
	if err != nil {
		return "", fmt.Errorf("copy_json template: %w", err)
	}
	if err := t.Execute(&b, v); err != nil {
		return "", fmt.Errorf("copy_json template: %w", err)
	}
	return strings.TrimSpace(b.String()), nil
}

// validRegion accepts names like us-west-2 or cn-north-1: lower-case
// letters, digits and dashes.
func validRegion(r string) bool {
	if r == "" || len(r) > 32 {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
