// Package escape makes text from the data safe to store and to show: file
// names in any bytes get one lossless, valid UTF-8 form (Name, Unname), and
// text bound for a terminal has its control characters made visible
// (Terminal, Line), so data can never drive the terminal.
package escape

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Name is the recorded form of a file name (or URI) in any bytes: every
// byte that is not part of valid UTF-8 becomes \xHH (two lower-case hex
// digits) and a backslash becomes \\; everything else is kept. The result
// is valid UTF-8, Unname gives the bytes back, and a valid UTF-8 name
// without a backslash is its own form.
func Name(s string) string {
	if utf8.ValidString(s) && !strings.Contains(s, `\`) {
		return s
	}
	return rewrite(s, func(b *strings.Builder, r rune) bool {
		if r == '\\' {
			b.WriteString(`\\`)
			return true
		}
		return false
	})
}

// rewrite copies s, each byte that is not UTF-8 as \xHH and each rune as
// fn writes it; fn returns false to keep the rune as it is.
func rewrite(s string, fn func(b *strings.Builder, r rune) bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			hexByte(&b, s[i])
		case !fn(&b, r):
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ErrBadEscape is returned by Unname for text Name cannot have written.
var ErrBadEscape = errors.New(`bad escape: want \\ or \xHH`)

// Unname decodes a form written by Name back to the name's bytes.
func Unname(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case i+3 < len(s) && s[i+1] == 'x' && isHex(s[i+2]) && isHex(s[i+3]):
			b.WriteByte(unhex(s[i+2])<<4 | unhex(s[i+3]))
			i += 3
		default:
			return "", ErrBadEscape
		}
	}
	return b.String(), nil
}

const hexDigits = "0123456789abcdef"

func hexByte(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&15])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
