package record

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/valyala/fastjson"
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

func typeName(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeObject:
		return "an object"
	case fastjson.TypeArray:
		return "an array"
	case fastjson.TypeString:
		return "a string"
	case fastjson.TypeNumber:
		return "a number"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "a boolean"
	case fastjson.TypeNull:
		return "null"
	}
	return "an unknown value"
}

func isNull(v *fastjson.Value) bool { return v == nil || v.Type() == fastjson.TypeNull }

// str reads a required string.
func str(field string, v *fastjson.Value) (string, error) {
	if v == nil {
		return "", errField(field, "missing")
	}
	if v.Type() != fastjson.TypeString {
		return "", errField(field, "want a string, got %s", typeName(v))
	}
	b, _ := v.StringBytes()
	if strings.IndexByte(string(b), 0) >= 0 {
		return "", errField(field, `contains a NUL character (\u0000), which warehouses cannot store`)
	}
	return string(b), nil
}

// nonEmpty reads a required, non-empty string.
func nonEmpty(field string, v *fastjson.Value) (string, error) {
	s, err := str(field, v)
	if err == nil && s == "" {
		err = errField(field, "is empty")
	}
	return s, err
}

// nullStr reads a string that may be null or absent.
func nullStr(field string, v *fastjson.Value) (NullString, error) {
	if isNull(v) {
		return NullString{}, nil
	}
	s, err := str(field, v)
	return NullString{S: s, Valid: err == nil}, err
}

// num reads a required finite number.
func num(field string, v *fastjson.Value) (float64, error) {
	if v == nil {
		return 0, errField(field, "missing")
	}
	if v.Type() != fastjson.TypeNumber {
		return 0, errField(field, "want a number, got %s", typeName(v))
	}
	f, err := v.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errField(field, "%s is not a finite number", v.String())
	}
	return f, nil
}

// nullNum reads a finite number that may be null or absent.
func nullNum(field string, v *fastjson.Value) (NullFloat, error) {
	if isNull(v) {
		return NullFloat{}, nil
	}
	f, err := num(field, v)
	return NullFloat{F: f, Valid: err == nil}, err
}

// maxExactInt is the largest integer a float64 holds exactly.
const maxExactInt = 1 << 53

// integer reads a required whole number within [lo, hi]. 38 and 38.0 are
// both accepted; 38.5 is not.
func integer(field string, v *fastjson.Value, lo, hi int64) (int64, error) {
	if v == nil {
		return 0, errField(field, "missing")
	}
	if v.Type() != fastjson.TypeNumber {
		return 0, errField(field, "want a whole number, got %s", typeName(v))
	}
	i, err := v.Int64()
	if err != nil {
		f, ferr := v.Float64()
		if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) || math.Abs(f) > maxExactInt {
			return 0, errField(field, "%s is not a whole number", v.String())
		}
		i = int64(f)
	}
	if i < lo || i > hi {
		return 0, errField(field, "%d is out of range [%d, %d]", i, lo, hi)
	}
	return i, nil
}

// nullInt reads a whole number that may be null or absent.
func nullInt(field string, v *fastjson.Value, lo, hi int64) (NullInt, error) {
	if isNull(v) {
		return NullInt{}, nil
	}
	i, err := integer(field, v, lo, hi)
	return NullInt{I: i, Valid: err == nil}, err
}

// extras collects the fields a schema does not know as one JSON object.
type extras struct {
	b     []byte
	names []string
}

func (x *extras) add(key []byte, v *fastjson.Value) {
	if len(x.b) == 0 {
		x.b = append(x.b, '{')
	} else {
		x.b = append(x.b, ',')
	}
	k, _ := json.Marshal(string(key))
	x.b = append(x.b, k...)
	x.b = append(x.b, ':')
	x.b = v.MarshalTo(x.b)
	x.names = append(x.names, string(key))
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
