package pipeline

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// Execer runs statements: a warehouse.Session, or a plain database handle.
type Execer interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error)
}

// execBlock runs every statement of a named SQL block in order.
func execBlock(ctx context.Context, x Execer, set *sqlset.Set, name string, args ...any) (int64, error) {
	stmts, err := set.Statements(name)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, st := range stmts {
		n, err := x.Exec(ctx, st, sqlset.Args(st, args)...)
		if err != nil {
			return total, fmt.Errorf("%s: %w", name, err)
		}
		total += n
	}
	return total, nil
}

// SchemaVersion is the schema version this build of sparkify writes.
func SchemaVersion(set *sqlset.Set) int {
	v := 0
	for set.Has("migration_" + strconv.Itoa(v+1)) {
		v++
	}
	return v
}

// Migrate brings the schema to the current version, running each missing
// migration_N block in its own transaction. It returns the versions applied.
func Migrate(ctx context.Context, sess warehouse.Session, set *sqlset.Set) ([]int, error) {
	current, err := currentVersion(ctx, sess, set)
	if err != nil {
		return nil, err
	}
	var applied []int
	for v := current + 1; v <= SchemaVersion(set); v++ {
		if err := sess.Begin(ctx); err != nil {
			return applied, err
		}
		if _, err := execBlock(ctx, sess, set, "migration_"+strconv.Itoa(v)); err != nil {
			sess.Rollback(ctx)
			return applied, fmt.Errorf("schema migration %d: %w", v, err)
		}
		if _, err := execBlock(ctx, sess, set, "schema_record_version", v, time.Now().UTC()); err != nil {
			sess.Rollback(ctx)
			return applied, err
		}
		if err := sess.Commit(ctx); err != nil {
			return applied, err
		}
		applied = append(applied, v)
	}
	return applied, nil
}

func currentVersion(ctx context.Context, sess warehouse.Session, set *sqlset.Set) (int, error) {
	q, err := set.Text("schema_has_version_table")
	if err != nil {
		return 0, err
	}
	var n int
	if err := sess.Conn().QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	q, err = set.Text("schema_version")
	if err != nil {
		return 0, err
	}
	var v int
	if err := sess.Conn().QueryRowContext(ctx, q).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// Reset drops every sparkify table and creates the schema again.
func Reset(ctx context.Context, sess warehouse.Session, set *sqlset.Set) error {
	if err := sess.Begin(ctx); err != nil {
		return err
	}
	if _, err := execBlock(ctx, sess, set, "schema_drop"); err != nil {
		sess.Rollback(ctx)
		return err
	}
	if err := sess.Commit(ctx); err != nil {
		return err
	}
	_, err := Migrate(ctx, sess, set)
	return err
}

// mustText returns a block that every engine defines; a missing one is a
// programming error caught by the contract suite.
func mustText(set *sqlset.Set, name string) string {
	t, err := set.Text(name)
	if err != nil {
		panic(err)
	}
	return t
}
