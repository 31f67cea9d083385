package redshift

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrUnquotable means a value cannot be put into SQL text safely.
var ErrUnquotable = errors.New("value cannot be quoted safely in Redshift SQL")

// Literal quotes s as a Redshift string literal: single quotes doubled.
// Redshift treats a backslash in a literal as an escape character, and a
// NUL or other control character has no safe spelling, so values holding
// any of them (or invalid UTF-8) are refused rather than mangled. Every S3
// path, role ARN and region sparkify puts into a statement goes through
// here.
func Literal(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: %q is not valid UTF-8", ErrUnquotable, s)
	}
	for _, r := range s {
		if r == '\\' {
			return "", fmt.Errorf("%w: %q holds a backslash, which Redshift reads as an escape; rename the object or choose another prefix", ErrUnquotable, s)
		}
		if r < 0x20 || r == 0x7f {
			return "", fmt.Errorf("%w: %q holds the control character %U", ErrUnquotable, s, r)
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

// Ident quotes an identifier with double quotes, doubling any inside.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
