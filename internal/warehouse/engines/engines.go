// Package engines opens a warehouse from its DSN, choosing the engine from
// one explicit table.
package engines

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/postgres"
	"github.com/sparkify/sparkify/internal/warehouse/redshift"
)

// Opener opens one engine's warehouse.
type Opener func(ctx context.Context, dsn string, opts warehouse.Options, wait bool) (warehouse.Warehouse, error)

// engines maps a DSN scheme to its engine.
var engines = map[string]Opener{
	"duckdb": func(ctx context.Context, dsn string, o warehouse.Options, wait bool) (warehouse.Warehouse, error) {
		return duckdb.Open(ctx, dsn, o, wait)
	},
	"postgres":   openPostgres,
	"postgresql": openPostgres,
	"redshift": func(ctx context.Context, dsn string, o warehouse.Options, _ bool) (warehouse.Warehouse, error) {
		return redshift.Open(ctx, dsn, o)
	},
}

func openPostgres(ctx context.Context, dsn string, o warehouse.Options, _ bool) (warehouse.Warehouse, error) {
	return postgres.Open(ctx, dsn, o)
}

// Scheme returns the engine part of a DSN ("duckdb", "postgres", ...).
// A libpq keyword/value DSN ("host=... dbname=...") is PostgreSQL's.
func Scheme(dsn string) string {
	if postgres.IsKeywordDSN(dsn) {
		return "postgres"
	}
	s, _, ok := strings.Cut(dsn, ":")
	if !ok {
		return ""
	}
	return strings.ToLower(s)
}

// Open opens the warehouse a DSN names. wait makes a busy DuckDB file a wait
// instead of an error.
func Open(ctx context.Context, dsn string, opts warehouse.Options, wait bool) (warehouse.Warehouse, error) {
	open, ok := engines[Scheme(dsn)]
	if !ok {
		return nil, fmt.Errorf("%w %q: use one of %s", warehouse.ErrUnknownEngine, redactScheme(dsn), strings.Join(Names(), ", "))
	}
	return open(ctx, dsn, opts, wait)
}

// Names lists the known DSN forms.
func Names() []string {
	var out []string
	for k := range engines {
		switch k {
		case "duckdb":
			out = append(out, "duckdb:PATH")
		case "postgresql":
		default:
			out = append(out, k+"://...")
		}
	}
	sort.Strings(out)
	return out
}

// redactScheme shows only what precedes "://" or ":", never a password.
func redactScheme(dsn string) string {
	if strings.Contains(dsn, "=") {
		return "(DSN)"
	}
	if i := strings.IndexAny(dsn, ":@/"); i > 0 {
		return dsn[:i] + ":..."
	}
	return dsn
}
