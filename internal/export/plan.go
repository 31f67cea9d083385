package export

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// statements are the export's queries (sql/export.sql).
var statements = func() *sqlset.Set {
	sub, _ := fs.Sub(sqlFiles, "sql")
	return sqlset.MustParse(sub)
}()

// Tables are the tables an export writes by default, in the order written.
var Tables = []string{"songplays", "users", "songs", "artists", "time", "user_levels", "sessions"}

// Table is one table of an export plan: the query that reads it and the
// columns whose values become folders.
type Table struct {
	Name        string
	Query       string
	PartitionBy []string
}

// Plan returns the tables to export, in the order of Tables. names may be
// empty (every table); an unknown or repeated name is an error that lists
// the valid ones.
func Plan(names []string) ([]Table, error) {
	if len(names) == 0 {
		names = Tables
	}
	seen := map[string]bool{}
	for _, n := range names {
		switch {
		case !slices.Contains(Tables, n):
			return nil, fmt.Errorf("%w %q: choose from %s", ErrUnknownTable, n, strings.Join(Tables, ", "))
		case seen[n]:
			return nil, fmt.Errorf("%w: %q is named twice", ErrUnknownTable, n)
		}
		seen[n] = true
	}
	var out []Table
	for _, n := range Tables {
		if seen[n] {
			t, err := tableOf(n)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// tableOf reads a table's query and its "-- partition:" directive.
func tableOf(name string) (Table, error) {
	text, err := statements.Text(name)
	if err != nil {
		return Table{}, err
	}
	t := Table{Name: name}
	var body []string
	for _, line := range strings.Split(text, "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "-- partition:"); ok {
			t.PartitionBy = strings.Fields(p)
			continue
		}
		body = append(body, line)
	}
	t.Query = strings.TrimSpace(strings.Join(body, "\n"))
	return t, nil
}

// Format is the file format of an export.
type Format string

// The formats an export writes.
const (
	Parquet Format = "parquet"
	CSV     Format = "csv"
)

// ParseFormat accepts "parquet" (the default for "") and "csv".
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "", "parquet":
		return Parquet, nil
	case "csv":
		return CSV, nil
	}
	return "", fmt.Errorf("%w %q: use parquet or csv", ErrUnknownFormat, s)
}

// ext is the file name extension of the format.
func (f Format) ext() string { return "." + string(f) }
