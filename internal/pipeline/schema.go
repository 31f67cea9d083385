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

// A schema is two sequences of migrations: the portable migration_N blocks
// (versions 1, 2, ...) and an engine's own engine_migration_N blocks
// (recorded as versions 1001, 1002, ...), so either can grow without the
// other.
var migrationSeqs = []struct {
	prefix string
	offset int
}{{"migration_", 0}, {"engine_migration_", 1000}}

// SchemaVersion is the portable schema version this build of sparkify
// writes.
func SchemaVersion(set *sqlset.Set) int { return seqLen(set, migrationSeqs[0].prefix) }

// MigrationCount is how many migrations, portable and the engine's own, a
// new warehouse gets.
func MigrationCount(set *sqlset.Set) int {
	n := 0
	for _, seq := range migrationSeqs {
		n += seqLen(set, seq.prefix)
	}
	return n
}

func seqLen(set *sqlset.Set, prefix string) int {
	v := 0
	for set.Has(prefix + strconv.Itoa(v+1)) {
		v++
	}
	return v
}

// Migrate brings the schema to the current version, running each missing
// migration block in its own transaction. It returns the versions applied.
func Migrate(ctx context.Context, sess warehouse.Session, set *sqlset.Set) ([]int, error) {
	var applied []int
	for _, seq := range migrationSeqs {
		current, err := currentVersion(ctx, sess, set, seq.offset)
		if err != nil {
			return nil, err
		}
		for v := current + 1; v <= seqLen(set, seq.prefix); v++ {
			if err := migrateTo(ctx, sess, set, seq.prefix, v, seq.offset+v); err != nil {
				return applied, err
			}
			applied = append(applied, seq.offset+v)
		}
	}
	return applied, nil
}

func migrateTo(ctx context.Context, sess warehouse.Session, set *sqlset.Set, prefix string, v, recorded int) error {
	if err := sess.Begin(ctx); err != nil {
		return err
	}
	if _, err := execBlock(ctx, sess, set, prefix+strconv.Itoa(v)); err != nil {
		sess.Rollback(ctx)
		return fmt.Errorf("schema migration %s%d: %w", prefix, v, err)
	}
	if _, err := execBlock(ctx, sess, set, "schema_record_version", recorded, time.Now().UTC()); err != nil {
		sess.Rollback(ctx)
		return err
	}
	return sess.Commit(ctx)
}

// currentVersion is the last version applied of the sequence at offset.
func currentVersion(ctx context.Context, sess warehouse.Session, set *sqlset.Set, offset int) (int, error) {
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
	if err := sess.Conn().QueryRowContext(ctx, q, offset, offset+1000).Scan(&v); err != nil {
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
