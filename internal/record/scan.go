package record

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds the nesting of a value, so hostile input cannot exhaust
// the stack.
const maxDepth = 300

// Kinds of JSON value.
type kind uint8

const (
	kNone kind = iota
	kString
	kNumber
	kTrue
	kFalse
	kNull
	kObject
	kArray
)

func (k kind) String() string {
	switch k {
	case kObject:
		return "an object"
	case kArray:
		return "an array"
	case kString:
		return "a string"
	case kNumber:
		return "a number"
	case kTrue, kFalse:
		return "a boolean"
	case kNull:
		return "null"
	}
	return "nothing"
}

// jval is one scanned value: its kind and where it is. Its raw JSON text
// is input[start:end]; a string's content is input[from:to], or
// scratch[from:to] when it had escapes (valid until the next text).
type jval struct {
	start, end int32
	from, to   int32
	kind       kind
	esc        bool // content is in the scratch space
	nul        bool // the string holds a \u0000
}

// scanner reads one JSON text strictly (RFC 8259) in a single pass: it is
// the validator and the parser at once. It never allocates in the common
// case.
type scanner struct {
	b       []byte
	i       int
	scratch []byte
	err     error
}

func (s *scanner) reset(b []byte) {
	s.b, s.i, s.err = b, 0, nil
	s.scratch = s.scratch[:0]
}

// fail records the first syntax error, at the current position.
func (s *scanner) fail(format string, args ...any) {
	if s.err == nil {
		s.err = &SyntaxError{Offset: int64(s.i) + 1, Msg: fmt.Sprintf(format, args...)}
	}
}

func (s *scanner) ws() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return // the common case: no white space at all
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// atEnd reports whether only white space is left.
func (s *scanner) atEnd() bool {
	s.ws()
	return s.i == len(s.b)
}

func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// value scans any value at depth into v.
func (s *scanner) value(depth int, v *jval) {
	s.ws()
	if s.i >= len(s.b) {
		s.fail("unexpected end of JSON input")
		return
	}
	start := s.i
	v.start, v.esc, v.nul = int32(start), false, false
	switch c := s.b[s.i]; {
	case c == '"':
		s.stringValue(v)
		return
	case c == '{':
		v.kind = kObject
		s.skipObject(depth + 1)
	case c == '[':
		v.kind = kArray
		s.skipArray(depth + 1)
	case c == '-' || (c >= '0' && c <= '9'):
		v.kind = kNumber
		s.number()
	case c == 't':
		s.literal("true", kTrue, v)
	case c == 'f':
		s.literal("false", kFalse, v)
	case c == 'n':
		s.literal("null", kNull, v)
	default:
		s.fail("invalid character %q looking for beginning of value", c)
		return
	}
	v.end = int32(s.i)
}

func (s *scanner) literal(word string, k kind, v *jval) {
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		s.fail("invalid literal, want %s", word)
		return
	}
	s.i += len(word)
	v.kind = k
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() {
	if s.peek() == '-' {
		s.i++
	}
	switch {
	case s.peek() == '0':
		s.i++
	case digit(s.peek()):
		for digit(s.peek()) {
			s.i++
		}
	default:
		s.fail("invalid number: want a digit")
		return
	}
	if s.peek() == '.' {
		s.i++
		if !digit(s.peek()) {
			s.fail("invalid number: want a digit after the decimal point")
			return
		}
		for digit(s.peek()) {
			s.i++
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if !digit(s.peek()) {
			s.fail("invalid number: want a digit in the exponent")
			return
		}
		for digit(s.peek()) {
			s.i++
		}
	}
}

// stringValue scans a string into v. Content without escapes stays in the
// input; with escapes it is decoded into the scratch space.
func (s *scanner) stringValue(v *jval) {
	v.kind, v.start, v.esc, v.nul = kString, int32(s.i), false, false
	s.i++ // opening quote
	from := s.i
	s.i = skipPlain(s.b, s.i)
	if s.i < len(s.b) && s.b[s.i] == '"' {
		v.from, v.to = int32(from), int32(s.i)
		s.i++
		v.end = int32(s.i)
		return
	}
	if s.i < len(s.b) && s.b[s.i] == '\\' {
		s.escapedString(v, from)
		return
	}
	if s.i < len(s.b) {
		s.fail("invalid control character %#x in string", s.b[s.i])
		return
	}
	s.fail("unexpected end of JSON input in a string")
}

// escapedString continues a string that has escapes, decoding it into the
// scratch space after the strings decoded before it (reset per text, so
// every string of one record stays valid until the next record).
func (s *scanner) escapedString(v *jval, from int) {
	mark := len(s.scratch)
	buf := append(s.scratch, s.b[from:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '"' {
			s.i++
			s.scratch = buf
			v.esc, v.from, v.to, v.end = true, int32(mark), int32(len(buf)), int32(s.i)
			return
		}
		if c < 0x20 {
			s.fail("invalid control character %#x in string", c)
			return
		}
		if c != '\\' {
			// Copy the plain run up to the next quote, escape or control byte.
			j := skipPlain(s.b, s.i)
			buf = append(buf, s.b[s.i:j]...)
			s.i = j
			continue
		}
		if s.i+1 >= len(s.b) {
			break
		}
		esc := s.b[s.i+1]
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n := s.unicodeEscape()
			if s.err != nil {
				return
			}
			if r == 0 {
				v.nul = true
			}
			buf = utf8.AppendRune(buf, r)
			s.i += n
			continue
		default:
			s.fail("invalid escape \\%c in string", esc)
			return
		}
		s.i += 2
	}
	s.fail("unexpected end of JSON input in a string")
}

// content is a string value's decoded bytes.
func (s *scanner) content(v *jval) []byte {
	if v.esc {
		return s.scratch[v.from:v.to]
	}
	return s.b[v.from:v.to]
}

// unicodeEscape reads \uXXXX (and the low half of a surrogate pair) at
// s.i, returning the rune and the bytes used. A lone surrogate is an error:
// it is not a character, and keeping it would change the value.
func (s *scanner) unicodeEscape() (rune, int) {
	hi, ok := hex4(s.b, s.i+2)
	if !ok {
		s.fail("invalid \\u escape in string")
		return 0, 0
	}
	if !utf16.IsSurrogate(hi) {
		return hi, 6
	}
	if hi < 0xDC00 {
		if lo, ok := hex4(s.b, s.i+8); ok && s.i+7 < len(s.b) && s.b[s.i+6] == '\\' && s.b[s.i+7] == 'u' && lo >= 0xDC00 && lo <= 0xDFFF {
			return utf16.DecodeRune(hi, lo), 12
		}
	}
	s.err = &SyntaxError{Offset: int64(s.i) + 1, Msg: fmt.Sprintf("%s is a lone UTF-16 surrogate, not a character", s.b[s.i:s.i+6])}
	return 0, 0
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

func (s *scanner) tooDeep(depth int) bool {
	if depth > maxDepth {
		if s.err == nil {
			s.err = &SyntaxError{Msg: fmt.Sprintf("nested deeper than %d levels", maxDepth)}
		}
		return true
	}
	return false
}

// skipObject validates an object at s.i without keeping it.
func (s *scanner) skipObject(depth int) {
	if s.tooDeep(depth) {
		return
	}
	s.i++ // {
	s.ws()
	if s.peek() == '}' {
		s.i++
		return
	}
	for s.err == nil {
		s.ws()
		if s.peek() != '"' {
			s.fail("want a quoted key")
			return
		}
		var k, v jval
		s.stringValue(&k)
		s.ws()
		if s.peek() != ':' {
			s.fail("want ':' after a key")
			return
		}
		s.i++
		s.value(depth, &v)
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return
		default:
			s.fail("want ',' or '}' after an object value")
			return
		}
	}
}

// skipArray validates an array at s.i without keeping it.
func (s *scanner) skipArray(depth int) {
	if s.tooDeep(depth) {
		return
	}
	s.i++ // [
	s.ws()
	if s.peek() == ']' {
		s.i++
		return
	}
	for s.err == nil {
		var v jval
		s.value(depth, &v)
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return
		default:
			s.fail("want ',' or ']' after an array value")
			return
		}
	}
}

// valid reports whether b is exactly one JSON value.
func (s *scanner) valid(b []byte) bool {
	s.reset(b)
	var v jval
	s.value(0, &v)
	return s.err == nil && s.atEnd()
}

// numberText is the number's text, shared with the input.
func (v *jval) numberText(b []byte) string {
	return unsafe.String(&b[v.start], v.end-v.start)
}

// parseInt reads an integer literal with no fraction or exponent; ok is
// false when it has one, or does not fit an int64.
func parseInt(text string) (int64, bool) {
	digits := text
	neg := len(text) > 0 && text[0] == '-'
	if neg {
		digits = text[1:]
	}
	if len(digits) == 0 || len(digits) > 19 {
		return 0, false
	}
	var n uint64 // 19 digits never overflow a uint64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if !digit(c) {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return int64(-n), true
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}

// isIntLiteral reports whether a number's text has no fraction or
// exponent: when parseInt fails on such a text, it is out of int64's range.
func isIntLiteral(text string) bool {
	return !strings.ContainsAny(text, ".eE")
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat reads any number literal. Plain decimals with at most 15
// significant digits (the sample's lengths and registrations) take the
// exact fast path: an integer divided by a power of ten, both exact in a
// float64, is correctly rounded. Everything else goes to strconv.
func parseFloat(text string) (float64, error) {
	var m uint64
	digits, frac, dot := 0, 0, false
	i := 0
	neg := len(text) > 0 && text[0] == '-'
	if neg {
		i = 1
	}
	for ; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			if m != 0 || c != '0' {
				digits++
			}
			m = m*10 + uint64(c-'0')
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return strconv.ParseFloat(text, 64)
		}
		if digits > 15 {
			return strconv.ParseFloat(text, 64)
		}
	}
	if frac >= len(pow10) {
		return strconv.ParseFloat(text, 64)
	}
	f := float64(m) / pow10[frac]
	if neg {
		f = -f
	}
	return f, nil
}

// skipPlain returns the index of the first byte at or after i that ends the
// plain run of a string: a quote, a backslash or a control character. It
// looks at eight bytes at a time; in each word the lowest flagged byte is
// exactly the first special one.
func skipPlain(b []byte, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		quote := w ^ (ones * '"')
		slash := w ^ (ones * '\\')
		special := (((quote - ones) &^ quote) | ((slash - ones) &^ slash) | (w - ones*0x20)) &^ w & highs
		if special != 0 {
			return i + bits.TrailingZeros64(special)>>3
		}
	}
	for i < len(b) {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
		i++
	}
	return i
}
