package escape

import (
	"strings"
	"testing"
	"testing/quick"
	"unicode/utf8"
)

func TestName(t *testing.T) {
	cases := map[string]string{
		"log_data/2018-11-01-events.json": "log_data/2018-11-01-events.json",
		"caf\xe9.json":                    `caf\xe9.json`, // Latin-1 é: not UTF-8
		"café.json":                       "café.json",
		`a\b.json`:                        `a\\b.json`,
		`a\xff`:                           `a\\xff`, // the text, not the byte: must not collide with "a\xff"
		"a\xff":                           `a\xff`,
		"\xff\xfe":                        `\xff\xfe`,
		"\xe2\x82":                        `\xe2\x82`,         // a cut 3-byte sequence
		"esc\x1b[31m.json":                "esc\x1b[31m.json", // valid UTF-8: kept for storage, Terminal shows it
	}
	for in, want := range cases {
		got := Name(in)
		if got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Name(%q) = %q is not UTF-8", in, got)
		}
		back, err := Unname(got)
		if err != nil || back != in {
			t.Errorf("Unname(%q) = %q, %v; want %q", got, back, err, in)
		}
	}
}

func TestNameRoundTripsAnyBytes(t *testing.T) {
	f := func(b []byte) bool {
		n := Name(string(b))
		back, err := Unname(n)
		return err == nil && back == string(b) && utf8.ValidString(n)
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 5000}); err != nil {
		t.Error(err)
	}
}

func TestUnnameRejectsWhatNameNeverWrites(t *testing.T) {
	for _, s := range []string{`a\`, `a\q`, `a\x`, `a\xf`, `a\xzz`} {
		if _, err := Unname(s); err == nil {
			t.Errorf("Unname(%q): no error", s)
		}
	}
}

func TestTerminal(t *testing.T) {
	cases := map[string]string{
		"plain text, é and 🎧":         "plain text, é and 🎧",
		"two\nlines\tand a tab":       "two\nlines\tand a tab",
		"\x1b[2J\x1b]0;owned\x07":     `\x1b[2J\x1b]0;owned\x07`,
		"del\x7f c1\u009b bidi\u202e": `del\x7f c1\u009b bidi\u202e`,
		"cr\rover":                    `cr\rover`,
		"bad \xff byte":               `bad \xff byte`,
	}
	for in, want := range cases {
		if got := Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := Line("a\nb\tc\rd\x1b"), `a\nb\tc\rd\x1b`; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
}

func TestTerminalLeavesNoControlCharacter(t *testing.T) {
	f := func(b []byte) bool {
		for _, r := range Line(string(b)) {
			if r < 0x20 || r == 0x7f || unsafeRune(r) || r == utf8.RuneError {
				return false
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 5000}); err != nil {
		t.Error(err)
	}
}

func TestList(t *testing.T) {
	names := make([]string, 200000)
	for i := range names {
		names[i] = "f"
	}
	names[0] = "evil\x1b]0;x\x07"
	got := List(names, 50)
	want := `evil\x1b]0;x\x07, ` + strings.Repeat("f, ", 49) + "and 199,950 more"
	if got != want {
		t.Errorf("List = %q\nwant %q", got, want)
	}
	if got := List([]string{"a", "b"}, 50); got != "a, b" {
		t.Errorf("short list = %q", got)
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 199950: "199,950", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
