package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// csvFile writes CSV as DuckDB's COPY does: a header line, NULL as an
// empty field and an empty string as "" (encoding/csv cannot tell them
// apart, hence this small writer), fields quoted when they hold a comma,
// quote or line break, timestamps as 2018-11-01 21:01:46.796.
type csvFile struct {
	w    *bufio.Writer
	cols []Column
	line []string
}

func newCSVFile(out io.Writer, cols []Column) (*csvFile, error) {
	c := &csvFile{w: bufio.NewWriterSize(out, 1<<16), cols: cols, line: make([]string, len(cols))}
	for i, col := range cols {
		c.line[i] = quoteCSV(col.Name)
	}
	return c, c.flushLine()
}

// Write appends one row.
func (c *csvFile) Write(values []any) error {
	for i, v := range values {
		s, err := csvField(c.cols[i], v)
		if err != nil {
			return err
		}
		c.line[i] = s
	}
	return c.flushLine()
}

func (c *csvFile) flushLine() error {
	for i, f := range c.line {
		if i > 0 {
			c.w.WriteByte(',')
		}
		c.w.WriteString(f)
	}
	return c.w.WriteByte('\n')
}

// Close flushes the buffer (the file itself is closed by the caller).
func (c *csvFile) Close() error { return c.w.Flush() }

// csvField renders one value, quoted as needed.
func csvField(c Column, v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if s, ok := formatValue(v); ok {
		if c.Type == TypeVarchar {
			return quoteCSV(s), nil
		}
		return s, nil
	}
	return "", fmt.Errorf("column %s (%s): unexpected value %T from the database", c.Name, c.Type, v)
}

// formatValue renders a non-NULL value as text: integers in decimal,
// doubles in their shortest exact form, timestamps as UTC wall-clock time
// with as many fractional digits as needed.
func formatValue(v any) (string, bool) {
	if n, ok := asInt64(v); ok {
		return strconv.FormatInt(n, 10), true
	}
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32), true
	case time.Time:
		return wallClockUTC(x).Format("2006-01-02 15:04:05.999999"), true
	}
	return "", false
}

// quoteCSV quotes a string field when it is empty (to tell it from NULL)
// or holds a delimiter, quote or line break.
func quoteCSV(s string) string {
	if s != "" && !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
