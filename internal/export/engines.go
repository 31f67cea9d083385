package export

import (
	"context"
	"database/sql"
)

// writeFunc writes one table's rows into dir (the table's folder, which
// exists and is empty) and returns how many rows it wrote.
type writeFunc func(ctx context.Context, q querier, t Table, cols []Column, dir string, format Format) (int64, error)

// engine is how one warehouse engine is exported.
type engine struct {
	// snapshot opens the read-only transaction every table is read in.
	snapshot sql.TxOptions
	write    writeFunc
}

// streamed is the portable way: a repeatable-read, read-only transaction
// (Redshift treats every level as serializable) and rows streamed through
// database/sql into Go writers.
var streamed = engine{snapshot: sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, write: streamRows}

// engineExports maps an engine name to its export. DuckDB writes the files
// itself; its driver accepts only the default transaction options (a
// DuckDB transaction is a snapshot, and a file opened read-only has no
// writer besides).
var engineExports = map[string]engine{
	"duckdb":   {write: copyNative},
	"postgres": streamed,
	"redshift": streamed,
}

// engineFor returns the export of an engine; unknown engines stream.
func engineFor(name string) engine {
	if e, ok := engineExports[name]; ok {
		return e
	}
	return streamed
}
