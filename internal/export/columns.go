package export

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The portable column types an export writes, as named in the manifest.
const (
	TypeInteger   = "INTEGER"   // Parquet INT32
	TypeBigint    = "BIGINT"    // Parquet INT64
	TypeDouble    = "DOUBLE"    // Parquet DOUBLE
	TypeVarchar   = "VARCHAR"   // Parquet BYTE_ARRAY (UTF8)
	TypeTimestamp = "TIMESTAMP" // Parquet INT64 TIMESTAMP(MICROS), not adjusted to UTC: the values are UTC wall-clock times
)

// Column is one column of an exported table.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Partition is true for a column held in folder names, not in files.
	Partition bool `json:"partition,omitempty"`
}

// typeNames maps each engine's database type names (DuckDB's, and
// PostgreSQL's and Redshift's through pgx) to the portable ones.
var typeNames = map[string]string{
	"INTEGER": TypeInteger, "INT4": TypeInteger, "INT": TypeInteger,
	"BIGINT": TypeBigint, "INT8": TypeBigint,
	"DOUBLE": TypeDouble, "FLOAT8": TypeDouble, "DOUBLE PRECISION": TypeDouble,
	"VARCHAR": TypeVarchar, "TEXT": TypeVarchar, "BPCHAR": TypeVarchar, "CHAR": TypeVarchar,
	"TIMESTAMP": TypeTimestamp,
}

// querier runs a query (a *sql.Tx or *sql.DB).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// describe returns the columns a table's query yields, without reading
// rows.
func describe(ctx context.Context, q querier, t Table) ([]Column, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM ("+t.Query+") q WHERE 1 = 0")
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", t.Name, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", t.Name, err)
	}
	return columnsOf(t, types)
}

// columnsOf maps driver column types to portable ones and marks the
// partition columns.
func columnsOf(t Table, types []*sql.ColumnType) ([]Column, error) {
	cols := make([]Column, len(types))
	for i, ct := range types {
		name := strings.ToLower(ct.Name())
		typ, ok := typeNames[strings.ToUpper(ct.DatabaseTypeName())]
		if !ok {
			return nil, fmt.Errorf("%w: %s.%s is %s; cast it to INTEGER, BIGINT, DOUBLE, VARCHAR or TIMESTAMP in internal/export/sql/export.sql",
				ErrUnsupportedType, t.Name, name, ct.DatabaseTypeName())
		}
		cols[i] = Column{Name: name, Type: typ}
	}
	for _, p := range t.PartitionBy {
		found := false
		for i := range cols {
			if cols[i].Name == p {
				cols[i].Partition, found = true, true
			}
		}
		if !found {
			return nil, fmt.Errorf("export query of %s has no partition column %q (internal/export/sql/export.sql)", t.Name, p)
		}
	}
	return cols, nil
}
