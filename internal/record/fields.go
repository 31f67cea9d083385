package record

import (
	"fmt"
	"math"
)

// fieldError is a reason to reject a record because of one field.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return "field " + e.field + ": " + e.msg }

func errField(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

func isNull(v *jval) bool { return v == nil || v.kind == kNull }

// str reads a required string.
func (d *Decoder) str(field string, slot int, v *jval) (string, error) {
	if v == nil {
		return "", errField(field, "missing")
	}
	if v.kind != kString {
		return "", errField(field, "want a string, got %s", v.kind)
	}
	if v.nul {
		return "", errField(field, `contains a NUL character (\u0000), which warehouses cannot store`)
	}
	return d.text(slot, d.sc.content(v)), nil
}

// nonEmpty reads a required, non-empty string.
func (d *Decoder) nonEmpty(field string, slot int, v *jval) (string, error) {
	s, err := d.str(field, slot, v)
	if err == nil && s == "" {
		err = errField(field, "is empty")
	}
	return s, err
}

// nullStr reads a string that may be null or absent.
func (d *Decoder) nullStr(field string, slot int, v *jval) (NullString, error) {
	if isNull(v) {
		return NullString{}, nil
	}
	s, err := d.str(field, slot, v)
	return NullString{S: s, Valid: err == nil}, err
}

// num reads a required finite number.
func (d *Decoder) num(field string, v *jval) (float64, error) {
	if v == nil {
		return 0, errField(field, "missing")
	}
	if v.kind != kNumber {
		return 0, errField(field, "want a number, got %s", v.kind)
	}
	text := v.numberText(d.sc.b)
	f, err := parseFloat(text)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errField(field, "%s is not a finite number", text)
	}
	return f, nil
}

// nullNum reads a finite number that may be null or absent.
func (d *Decoder) nullNum(field string, v *jval) (NullFloat, error) {
	if isNull(v) {
		return NullFloat{}, nil
	}
	f, err := d.num(field, v)
	return NullFloat{F: f, Valid: err == nil}, err
}

// maxExactInt is the largest integer a float64 holds exactly.
const maxExactInt = 1 << 53

// integer reads a required whole number within [lo, hi]. 38 and 38.0 are
// both accepted; 38.5 is not. A whole number beyond [lo, hi] (or beyond
// int64, however written) is "out of range"; one written with a fraction
// or exponent is read as a float, taken only below 2^53 in magnitude.
func (d *Decoder) integer(field string, v *jval, lo, hi int64) (int64, error) {
	if v == nil {
		return 0, errField(field, "missing")
	}
	if v.kind != kNumber {
		return 0, errField(field, "want a whole number, got %s", v.kind)
	}
	text := v.numberText(d.sc.b)
	i, ok := parseInt(text)
	if !ok {
		if isIntLiteral(text) {
			return 0, errField(field, "%s is out of range [%d, %d]", text, lo, hi)
		}
		f, _ := parseFloat(text) // ±Inf when beyond float64: out of range below
		switch {
		case math.IsNaN(f) || f != math.Trunc(f):
			return 0, errField(field, "%s is not a whole number", text)
		case f >= 0x1p63 || f < float64(lo) || f > float64(hi):
			return 0, errField(field, "%s is out of range [%d, %d]", text, lo, hi)
		case math.Abs(f) >= maxExactInt: // 2^53+1 rounds to 2^53: not exact either
			return 0, errField(field, "%s is not exact: a whole number with a fraction or exponent must be smaller than 2^53 in magnitude", text)
		}
		i = int64(f)
	}
	if i < lo || i > hi {
		return 0, errField(field, "%d is out of range [%d, %d]", i, lo, hi)
	}
	return i, nil
}

// nullInt reads a whole number that may be null or absent.
func (d *Decoder) nullInt(field string, v *jval, lo, hi int64) (NullInt, error) {
	if isNull(v) {
		return NullInt{}, nil
	}
	i, err := d.integer(field, v, lo, hi)
	return NullInt{I: i, Valid: err == nil}, err
}

// cacheSlots is the size of each field's cache of recent values.
const cacheSlots = 256

// textCache keeps the last value seen per hash slot of one field, so values
// that repeat (levels, pages, user agents, locations, names) share one
// string instead of allocating per record. A miss just allocates.
type textCache [cacheSlots]string

// text returns b as a string, reusing the cached copy for field when equal.
func (d *Decoder) text(field int, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	// Length and the two bytes at each end spread one field's values.
	n := len(b)
	h := uint32(n)*0x9E3779B1 ^ uint32(b[0])<<8 ^ uint32(b[n-1]) ^ uint32(b[n/2])<<16 ^ uint32(b[min(1, n-1)])<<24
	h ^= h >> 15
	slot := &d.cache[field][h%cacheSlots]
	if *slot == string(b) {
		return *slot
	}
	*slot = string(b)
	return *slot
}

// extras collects the fields a schema does not know as one JSON object,
// each as its raw text.
type extras struct {
	b     []byte
	names []string
}

func (x *extras) add(name string, rawKey, rawValue []byte) {
	if len(x.b) == 0 {
		x.b = append(x.b, '{')
	} else {
		x.b = append(x.b, ',')
	}
	x.b = append(x.b, rawKey...)
	x.b = append(x.b, ':')
	x.b = append(x.b, rawValue...)
	x.names = append(x.names, name)
}

func (x *extras) text() string {
	if len(x.b) == 0 {
		return ""
	}
	return string(x.b) + "}"
}

func (x *extras) reset() {
	x.b = x.b[:0]
	x.names = x.names[:0]
}
