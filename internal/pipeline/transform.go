package pipeline

import (
	"context"

	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

// transform runs the SQL that builds the star from staging.
func (l *load) transform(ctx context.Context) error {
	songsTouched := len(l.plan.tasks[KindSong]) > 0 || len(l.plan.replaced) > 0
	replaced := len(l.plan.replaced) > 0
	steps := []struct {
		block string
		run   func() bool
	}{
		{"analyze_staging", always},
		{"transform_songs", when(songsTouched)},
		{"transform_match", always},
		{"transform_rematch", when(songsTouched && !(l.opts.FullRefresh && l.opts.Days == nil))},
		{songplaysBlock(l.set, l.before["songplays"] == 0 || (l.opts.FullRefresh && l.opts.Days == nil)), always},
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
