package pipeline

import (
	"context"
	"fmt"

	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// transform runs the SQL that builds the star from staging.
func (l *load) transform(ctx context.Context) error {
	songsTouched := len(l.plan.tasks[KindSong]) > 0 || len(l.plan.replaced) > 0
	replaced := len(l.plan.replaced) > 0
	// Into an empty songplays (a first load, a whole refresh) no play can
	// exist already: engines may take a faster way.
	empty := l.before["songplays"] == 0 || (l.opts.FullRefresh && l.opts.Days == nil)
	seen := "songplays_seen"
	if empty {
		seen = "songplays_seen_none"
	}
	steps := []struct {
		block string
		run   func() bool
	}{
		{"analyze_staging", always},
		{"transform_songs", when(songsTouched)},
		{"transform_match", always},
		{"transform_rematch", when(songsTouched && !(l.opts.FullRefresh && l.opts.Days == nil))},
		{"songplays_prepare", always},
		{seen, always},
		{songplaysBlock(l.set, empty), always},
		{conflictsBlock, always},
		{"transform_songplays_replaced", when(replaced)},
		{"analyze_songplays", always},
		{"transform_time", always},
		{"transform_time_prune", when(replaced)},
		{"transform_users_prepare", always},
		{"transform_users_cancelled_keep", always},
		{"transform_users", always},
		{"transform_users_slow", l.slow(ctx, "users_slow_count")},
		{"transform_user_levels", always},
		{"transform_user_levels_slow", l.slow(ctx, "users_slow_count")},
		{"transform_users_cancelled", always},
		{"transform_users_cancelled_slow", l.slow(ctx, "users_slow_count")},
		{"transform_sessions_prepare", always},
		{"transform_sessions", always},
		{"transform_sessions_slow", l.slow(ctx, "sessions_slow_count")},
	}
	for _, s := range steps {
		if !s.run() {
			continue
		}
		err := l.timed(s.block, func() error {
			if s.block == conflictsBlock {
				return l.countConflicts(ctx)
			}
			_, err := execBlock(ctx, l.sess, l.set, s.block, l.loadID)
			return err
		})
		if err != nil {
			return err
		}
		if s.block == "analyze_songplays" {
			if err := l.step(ctx, StepTransforming); err != nil {
				return err
			}
		}
	}
	return nil
}

// conflictsBlock counts the events of this load that arrived twice with
// different content; it reads what songplays_prepare and songplays_seen
// left (tmp_dup, tmp_seen), and runs right after the songplays transform.
const conflictsBlock = "conflicts_count"

// countConflicts stores conflictsBlock's count in the result.
func (l *load) countConflicts(ctx context.Context) error {
	q := mustText(l.set, conflictsBlock)
	var n int64
	if err := l.sess.Conn().QueryRowContext(ctx, q, sqlset.Args(q, []any{l.loadID})...).Scan(&n); err != nil {
		return fmt.Errorf("%s: %w", conflictsBlock, err)
	}
	l.res.ConflictingEvents = n
	return nil
}

func always() bool { return true }

func when(b bool) func() bool { return func() bool { return b } }

// slow reports, after transform_users_prepare (users_slow_count) or
// transform_sessions_prepare (sessions_slow_count), whether some touched
// users or sessions need their rows recomputed from all of staging
// (backfills, replaced files, a session continued from an earlier load);
// the check is cheap, and the common load skips those blocks.
func (l *load) slow(ctx context.Context, countBlock string) func() bool {
	return func() bool {
		var n int64
		if err := l.sess.Conn().QueryRowContext(ctx, mustText(l.set, countBlock)).Scan(&n); err != nil {
			return true // cannot tell: take the safe way
		}
		return n > 0
	}
}

// songplaysBlock picks the songplays transform: engines may give a faster
// one for a load into an empty table.
func songplaysBlock(set *sqlset.Set, empty bool) string {
	if empty && set.Has("transform_songplays_first") {
		return "transform_songplays_first"
	}
	return "transform_songplays"
}
