package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sparkify/sparkify/internal/escape"
)

// Write writes r to w in format f.
func Write(w io.Writer, f Format, r *Result) error {
	switch f {
	case JSON:
		return writeJSON(w, r)
	case CSV:
		return writeCSV(w, r)
	case TSV:
		return writeTSV(w, r)
	default:
		return writeTable(w, r)
	}
}

// Text renders a value as plain text: NULL is "", times are RFC 3339 with
// milliseconds in UTC, floats use the shortest exact form.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.000")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return true
	}
	return false
}

func writeTSV(w io.Writer, r *Result) error {
	var b bytes.Buffer
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	for _, row := range r.Rows {
		for i, v := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(clean.Replace(Text(v)))
		}
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns); err != nil {
		return err
	}
	rec := make([]string, len(r.Columns))
	for _, row := range r.Rows {
		for i, v := range row {
			rec[i] = Text(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w io.Writer, r *Result) error {
	var b bytes.Buffer
	b.WriteString("[")
	for i, row := range r.Rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for j, v := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(r.Columns[j])
			b.Write(k)
			b.WriteString(": ")
			b.Write(jsonValue(v))
		}
		b.WriteString("}")
	}
	if len(r.Rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := w.Write(b.Bytes())
	return err
}

func jsonValue(v any) []byte {
	switch x := v.(type) {
	case nil:
		return []byte("null")
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return []byte("null")
		}
	case time.Time:
		v = x.UTC().Format("2006-01-02T15:04:05.000Z")
	case []byte:
		v = string(x)
	case fmt.Stringer:
		v = x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(Text(v))
	}
	return b
}

const maxCell = 60

// writeTable aligns columns, right-aligns numbers and shows NULL. It is
// for a person: control characters from the data are shown escaped
// (escape.Line), never sent to the terminal.
func writeTable(w io.Writer, r *Result) error {
	cells := make([][]string, len(r.Rows))
	widths := make([]int, len(r.Columns))
	numeric := make([]bool, len(r.Columns))
	for i, c := range r.Columns {
		widths[i] = utf8.RuneCountInString(c)
		numeric[i] = len(r.Rows) > 0
	}
	for i, row := range r.Rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			s := Text(v)
			if v == nil {
				s = "NULL"
			} else if !isNumber(v) {
				numeric[j] = false
			}
			s = escape.Line(strings.NewReplacer("\n", " ", "\t", " ", "\r", " ").Replace(s))
			if utf8.RuneCountInString(s) > maxCell {
				s = string([]rune(s)[:maxCell-1]) + "…"
			}
			cells[i][j] = s
			widths[j] = max(widths[j], utf8.RuneCountInString(s))
		}
	}
	var b bytes.Buffer
	line := func(vals []string, header bool) {
		for j, s := range vals {
			if j > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[j]-utf8.RuneCountInString(s))
			if numeric[j] && !header {
				b.WriteString(pad + s)
			} else if j == len(vals)-1 {
				b.WriteString(s)
			} else {
				b.WriteString(s + pad)
			}
		}
		b.WriteString("\n")
	}
	headers := make([]string, len(r.Columns))
	for j, c := range r.Columns {
		headers[j] = strings.ToUpper(c)
	}
	line(headers, true)
	for _, row := range cells {
		line(row, false)
	}
	if len(r.Rows) == 0 {
		b.WriteString("(no rows)\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
