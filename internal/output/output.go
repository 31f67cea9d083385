// Package output writes result tables for people (aligned columns on a
// terminal) and for programs (tsv, csv, json in pipes).
package output

import (
	"fmt"
	"strings"
)

// Format is an output format.
type Format string

// The formats sparkify can write.
const (
	Table Format = "table"
	TSV   Format = "tsv"
	CSV   Format = "csv"
	JSON  Format = "json"
)

// ParseFormat validates a --format value. An empty value means a table on a
// terminal and tab-separated values in a pipe.
func ParseFormat(s string, tty bool) (Format, error) {
	switch Format(strings.ToLower(s)) {
	case "":
		if tty {
			return Table, nil
		}
		return TSV, nil
	case Table:
		return Table, nil
	case TSV:
		return TSV, nil
	case CSV:
		return CSV, nil
	case JSON:
		return JSON, nil
	}
	return "", fmt.Errorf("unknown format %q: use table, tsv, csv or json", s)
}

// Result is a table of values with named columns.
type Result struct {
	Columns []string
	Rows    [][]any
}
