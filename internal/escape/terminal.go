package escape

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Terminal makes text from the data safe to print for a person: control
// characters (C0 but newline and tab, DEL, C1) and the Unicode bidi
// controls that reorder what is shown become \xHH or \uHHHH, and bytes that
// are not UTF-8 become \xHH. Text without any is returned as it is. Use it
// on messages that may span lines; Line for one cell or one line.
func Terminal(s string) string { return show(s, true) }

// Line is Terminal for text that must stay on one line: newline, carriage
// return and tab become \n, \r and \t too.
func Line(s string) string { return show(s, false) }

func show(s string, multiline bool) string {
	if safe(s, multiline) {
		return s
	}
	return rewrite(s, func(b *strings.Builder, r rune) bool {
		switch {
		case multiline && (r == '\n' || r == '\t'):
			return false
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			hexByte(b, byte(r))
		case unsafeRune(r):
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			return false
		}
		return true
	})
}

// safe reports whether s needs no escaping: the common case, checked
// without allocating.
func safe(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return safeUnicode(s[i:])
		}
		if c < 0x20 && !(multiline && (c == '\n' || c == '\t')) || c == 0x7f {
			return false
		}
	}
	return true
}

func safeUnicode(s string) bool {
	for _, r := range s { // invalid bytes come as RuneError
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || unsafeRune(r) {
			return false
		}
	}
	return true
}

// unsafeRune reports the non-ASCII runes that control a terminal or the
// order text is shown in: C1 controls and the bidi embeddings, overrides
// and isolates.
func unsafeRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
		r == 0x200e || r == 0x200f || r == 0x061c
}
