package record

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScannerAgreesWithEncodingJSON: the single-pass scanner accepts
// exactly the JSON texts encoding/json accepts, but for the two things it
// rejects on purpose (lone UTF-16 surrogates, nesting deeper than 300), and
// decodes strings to the same values.
func FuzzScannerAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{goodEvent, `{}`, `[]`, `"a\u00e9\ud83d\ude00"`, `1.5e-3`, `-0`, `01`, `1.`, `{"a":tru}`,
		`{"a":"\x01"}`, `"\q"`, `{"a":1,}`, `[1 2]`, `{"a" 1}`, ` {"a":[{"b":null}]} `, `"\ud800"`, `"\udc00x"`, "\"\t\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !utf8.Valid(b) {
			return // encoding/json does not check UTF-8; the decoders do, before scanning
		}
		var s scanner
		got := s.valid(b)
		want := json.Valid(b)
		if got == want {
			if got {
				checkStrings(t, b)
			}
			return
		}
		if !got && want {
			if se, ok := s.err.(*SyntaxError); ok && (strings.Contains(se.Msg, "surrogate") || strings.Contains(se.Msg, "nested deeper")) {
				return
			}
		}
		t.Fatalf("scanner valid=%v (%v), encoding/json valid=%v for %q", got, s.err, want, b)
	})
}

// checkStrings compares a top-level string's decoded value.
func checkStrings(t *testing.T, b []byte) {
	var s scanner
	s.reset(b)
	var v jval
	s.value(0, &v)
	if v.kind != kString {
		return
	}
	var want string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if got := string(s.content(&v)); got != want {
		t.Fatalf("string %q decodes to %q, encoding/json to %q", b, got, want)
	}
}

func TestScannerNumbersAndEscapes(t *testing.T) {
	for in, ok := range map[string]bool{
		`0`: true, `-0.5e+10`: true, `01`: false, `1.`: false, `.5`: false, `+1`: false, `1e`: false,
		`"\u00e9"`: true, `"\u00g9"`: false, `"\/"`: true, `"\a"`: false, `"` + "\x7f" + `"`: true,
		`{"a":1}x`: false, `[[[]]]`: true, strings.Repeat("[", 301) + strings.Repeat("]", 301): false,
	} {
		var s scanner
		if got := s.valid([]byte(in)); got != ok {
			t.Errorf("%q: valid %v, want %v (%v)", in, got, ok, s.err)
		}
	}
	var s scanner
	s.reset([]byte(`"a\nb\u00e9\ud83d\ude00"`))
	var v jval
	if s.value(0, &v); string(s.content(&v)) != "a\nbé😀" {
		t.Errorf("decoded %q", s.content(&v))
	}
	// Two escaped strings in one record keep their own bytes.
	d := NewDecoder()
	var ev Event
	line := strings.Replace(goodEvent, `"artist":"Des'ree"`, `"artist":"D\u00e9s"`, 1)
	if err := d.DecodeEvent([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Artist.S != "Dés" || !bytes.HasPrefix([]byte(ev.UserAgent.S), []byte(`"Mozilla/5.0`)) {
		t.Errorf("artist %q agent %q", ev.Artist.S, ev.UserAgent.S)
	}
}

func TestParseFloatFastPathIsExact(t *testing.T) {
	for _, s := range []string{"246.30812", "1540919166796.0", "0.1", "-0.0", "123456789012345", "1234567890123456",
		"0.000000000000000000001", "9007199254740993", "1e5", "2.5E-3", "337.68444", "-86.77836", "36.16778", "0"} {
		got, err := parseFloat(s)
		want, werr := strconv.ParseFloat(s, 64)
		if (err == nil) != (werr == nil) || got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("%s: %v %v, strconv %v %v", s, got, err, want, werr)
		}
	}
}

func FuzzParseFloat(f *testing.F) {
	f.Add("246.30812")
	f.Add("1540919166796.0")
	f.Fuzz(func(t *testing.T, s string) {
		var sc scanner
		if !sc.valid([]byte(s)) || len(s) == 0 || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
			return
		}
		got, err := parseFloat(s)
		want, werr := strconv.ParseFloat(s, 64)
		if (err == nil) != (werr == nil) || (err == nil && (got != want || math.Signbit(got) != math.Signbit(want))) {
			t.Fatalf("%q: %v %v, strconv %v %v", s, got, err, want, werr)
		}
	})
}
