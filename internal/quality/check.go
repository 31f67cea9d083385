// Package quality runs data-quality checks on the star schema: built-in
// ones (non-empty tables, unique and non-null keys, referential integrity,
// level values, songplays equal to the staged plays, the catalog match
// rate) and the analysts' own, from a checks file. Every check is a query
// returning one value and the value it must have.
package quality

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/*.sql
var files embed.FS

// Severities: an error-level failure makes the run fail (exit code 3); a
// warning is reported and stored only.
const (
	SeverityError = "error"
	SeverityWarn  = "warn"
)

// Check is one data-quality check.
type Check struct {
	Name        string
	Description string
	Severity    string
	// SQL returns exactly one value.
	SQL string
	// The value must equal Expect, or equal what ExpectSQL returns, or lie
	// within [Min, Max] (either may be absent).
	Expect    *string
	ExpectSQL string
	Min, Max  *float64
	// MinSetting names a Settings entry that supplies Min.
	MinSetting string
}

// Settings tune the built-in checks.
type Settings struct {
	// MatchRateWarn warns when fewer plays than this share match the catalog.
	MatchRateWarn float64
}

// DefaultSettings are used when nothing is configured.
var DefaultSettings = Settings{MatchRateWarn: 0.01}

func (s Settings) value(name string) (float64, bool) {
	switch name {
	case "match_rate_warn":
		return s.MatchRateWarn, true
	}
	return 0, false
}

// Builtin returns the built-in checks, in file order.
func Builtin() []Check {
	sub, _ := fs.Sub(files, "sql")
	data, _ := fs.ReadFile(sub, "checks.sql")
	set := sqlset.MustParse(sub)
	var out []Check
	for _, name := range blockOrder(string(data)) {
		text, _ := set.Text(name)
		c, err := parseCheck(name, text)
		if err != nil {
			panic(err) // the embedded file is tested
		}
		out = append(out, c)
	}
	return out
}

// blockOrder lists block names in the order they appear.
func blockOrder(text string) []string {
	var names []string
	for _, line := range strings.Split(text, "\n") {
		if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
			names = append(names, strings.TrimSpace(n))
		}
	}
	return names
}

// parseCheck reads a block's directives.
func parseCheck(name, text string) (Check, error) {
	c := Check{Name: name, Severity: SeverityError}
	var body []string
	for _, line := range strings.Split(text, "\n") {
		key, val, ok := directive(line)
		if !ok {
			body = append(body, line)
			continue
		}
		if err := c.set(key, val); err != nil {
			return c, fmt.Errorf("check %s: %w", name, err)
		}
	}
	c.SQL = strings.TrimSuffix(strings.TrimSpace(strings.Join(body, "\n")), ";")
	return c, c.validate()
}

func directive(line string) (key, val string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), "-- ")
	if !ok {
		return "", "", false
	}
	key, val, ok = strings.Cut(rest, ":")
	if !ok || strings.ContainsAny(key, " \t") {
		return "", "", false
	}
	return strings.TrimSpace(key), strings.TrimSpace(val), true
}

func (c *Check) set(key, val string) error {
	num := func() (*float64, error) {
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a number", key, val)
		}
		return &f, nil
	}
	var err error
	switch key {
	case "description":
		c.Description = val
	case "severity":
		c.Severity = val
	case "expect":
		v := val
		c.Expect = &v
	case "expect-query", "expect_sql":
		c.ExpectSQL = val
	case "min":
		c.Min, err = num()
	case "max":
		c.Max, err = num()
	case "min-setting":
		c.MinSetting = val
	case "sql":
		c.SQL = val
	default:
		return fmt.Errorf("unknown setting %q (use sql, expect, min, max, severity, description)", key)
	}
	return err
}

func (c Check) validate() error {
	if c.Severity != SeverityError && c.Severity != SeverityWarn {
		return fmt.Errorf("check %s: severity %q: use error or warn", c.Name, c.Severity)
	}
	if strings.TrimSpace(c.SQL) == "" {
		return fmt.Errorf("check %s: no sql", c.Name)
	}
	if c.Expect == nil && c.ExpectSQL == "" && c.Min == nil && c.Max == nil && c.MinSetting == "" {
		return fmt.Errorf("check %s: say what the value must be (expect, min or max)", c.Name)
	}
	return nil
}
