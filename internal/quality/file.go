package quality

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/ini.v1"
)

// LoadFile reads analysts' checks from a file in dwh.cfg's INI style: one
// section per check.
//
//	[no_plays_from_the_future]
//	description = no play is later than today
//	sql = SELECT COUNT(*) FROM songplays WHERE start_time >= CURRENT_DATE + 1
//	expect = 0
//
//	[enough_paid_users]
//	sql = SELECT COUNT(*) FROM users WHERE level = 'paid'
//	min = 10
//	severity = warn
//
// A query may continue on indented lines.
func LoadFile(path string) ([]Check, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read checks file: %w", err)
	}
	f, err := ini.LoadSources(ini.LoadOptions{
		AllowPythonMultilineValues: true,
		IgnoreInlineComment:        true,
		SpaceBeforeInlineComment:   true,
	}, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []Check
	for _, sec := range f.Sections() {
		if sec.Name() == ini.DefaultSection {
			if len(sec.Keys()) > 0 {
				return nil, fmt.Errorf("%s: settings outside a [check] section", path)
			}
			continue
		}
		c := Check{Name: sec.Name(), Severity: SeverityError}
		for _, k := range sec.Keys() {
			if err := c.set(strings.ToLower(k.Name()), strings.TrimSpace(k.Value())); err != nil {
				return nil, fmt.Errorf("%s: [%s] %w", path, sec.Name(), err)
			}
		}
		if c.MinSetting != "" {
			return nil, fmt.Errorf("%s: [%s] min-setting is for built-in checks only", path, sec.Name())
		}
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no checks in it", path)
	}
	return out, nil
}
