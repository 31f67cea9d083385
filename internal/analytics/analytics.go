// Package analytics holds the analysts' named queries (top songs, top
// artists, plays by hour, ...) as SQL with their parameters, runnable on
// every warehouse.
package analytics

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/*.sql
var files embed.FS

// Query is one named query.
type Query struct {
	Name        string
	Description string
	// Params names the query's parameters in order: year, limit, user,
	// from, to or level.
	Params []string
	SQL    string
}

// Args are the values a query may take.
type Args struct {
	Year  int
	Limit int
	User  string
	// From and To bound the days a query looks at, both included; a zero
	// time leaves that side open (the SQL receives NULL).
	From, To time.Time
	// Level keeps the plays of "free" or "paid" users only; "" keeps all
	// (the SQL receives NULL).
	Level string
}

// DefaultLimit is the --limit of the top-N queries: the original's top 5.
const DefaultLimit = 5

var queries = load()

func load() map[string]*Query {
	sub, _ := fs.Sub(files, "sql")
	out, err := Parse(sub)
	if err != nil {
		panic(err)
	}
	return out
}

// Parse reads the named queries of every .sql file in fsys, with their
// "-- description:" and "-- params:" directives. Other packages (the
// dashboard) keep their own query files this way and run them with Run.
func Parse(fsys fs.FS) (map[string]*Query, error) {
	set, err := sqlset.Parse(fsys)
	if err != nil {
		return nil, err
	}
	out := map[string]*Query{}
	for _, name := range set.Names() {
		text, _ := set.Text(name)
		q := &Query{Name: name, SQL: text}
		for _, line := range strings.Split(text, "\n") {
			if d, ok := strings.CutPrefix(line, "-- description:"); ok {
				q.Description = strings.TrimSpace(d)
			}
			if p, ok := strings.CutPrefix(line, "-- params:"); ok {
				q.Params = strings.Fields(p)
			}
		}
		out[name] = q
	}
	return out, nil
}

// internal queries serve the others and are not listed.
var internal = map[string]bool{"latest-year": true}

// List returns the public queries in name order.
func List() []*Query {
	var out []*Query
	for name, q := range queries {
		if !internal[name] {
			out = append(out, q)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns a query by name.
func Get(name string) (*Query, error) {
	q, ok := queries[name]
	if !ok || internal[name] {
		var names []string
		for _, q := range List() {
			names = append(names, q.Name)
		}
		return nil, fmt.Errorf("no query named %q: use one of %s", name, strings.Join(names, ", "))
	}
	return q, nil
}

// Uses reports whether the query takes a parameter.
func (q *Query) Uses(param string) bool {
	for _, p := range q.Params {
		if p == param {
			return true
		}
	}
	return false
}

// LatestYear is the most recent year with plays, or 0 when there are none.
func LatestYear(ctx context.Context, db warehouse.Querier) (int, error) {
	rows, err := db.QueryContext(ctx, queries["latest-year"].SQL)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var y sql.NullInt64
	if rows.Next() {
		if err := rows.Scan(&y); err != nil {
			return 0, err
		}
	}
	return int(y.Int64), rows.Err()
}

// Run runs a query with args (a zero Year means the latest year with plays).
func Run(ctx context.Context, db warehouse.Querier, q *Query, args Args) (*output.Result, error) {
	if q.Uses("year") && args.Year == 0 {
		y, err := LatestYear(ctx, db)
		if err != nil {
			return nil, err
		}
		args.Year = y
	}
	if args.Limit <= 0 {
		args.Limit = DefaultLimit
	}
	var vals []any
	for _, p := range q.Params {
		switch p {
		case "year":
			vals = append(vals, args.Year)
		case "limit":
			vals = append(vals, args.Limit)
		case "user":
			vals = append(vals, args.User)
		case "from":
			vals = append(vals, dayArg(args.From))
		case "to":
			vals = append(vals, dayArg(args.To))
		case "level":
			vals = append(vals, nullIfEmpty(args.Level))
		default:
			return nil, fmt.Errorf("query %s: unknown parameter %q", q.Name, p)
		}
	}
	res, err := warehouse.Query(ctx, db, q.SQL, vals...)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	return res, nil
}

// dayArg is a day bound as a query value: NULL when unset, else the day as
// text, YYYY-MM-DD, which the queries cast to DATE (a text day means the
// same day on every engine, whatever its session time zone).
func dayArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format("2006-01-02")
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
