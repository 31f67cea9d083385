package pipeline

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sparkify/sparkify/internal/warehouse"
)

var (
	fileColumns = []string{"file_id", "kind", "uri", "size", "version", "fingerprint", "lines", "loaded", "rejected", "load_id"}
	fileTypes   = []warehouse.ColumnType{warehouse.Int64, warehouse.String, warehouse.String, warehouse.Int64,
		warehouse.String, warehouse.String, warehouse.Int64, warehouse.Int64, warehouse.Int64, warehouse.Int64}
)

func (l *load) recordFiles(ctx context.Context) error {
	var rows [][]any
	for _, kind := range []string{KindSong, KindLog} {
		for _, t := range l.plan.tasks[kind] {
			rows = append(rows, []any{t.fileID, t.kind, t.obj.URI, t.obj.Size, t.obj.Version, t.fingerprint, t.lines, t.loaded, t.rejected, l.loadID})
		}
	}
	_, err := warehouse.CopyRows(ctx, l.sess, "sparkify_files", fileColumns, fileTypes, rows)
	return err
}

func (l *load) counts(ctx context.Context) (map[string]int64, error) {
	rows, err := l.sess.Conn().QueryContext(ctx, mustText(l.set, "table_counts"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var t string
		var n int64
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}

// starTables are reported in the summary, in this order.
var starTables = []string{"songplays", "users", "songs", "artists", "time", "user_levels", "sessions"}

func (l *load) tableCounts(ctx context.Context) error {
	after, err := l.counts(ctx)
	if err != nil {
		return err
	}
	l.res.Tables = l.res.Tables[:0]
	for _, t := range starTables {
		l.res.Tables = append(l.res.Tables, TableCount{Table: t, Rows: after[t], Delta: after[t] - l.before[t]})
	}
	return nil
}

// record writes the run row and the rejects, inside the current transaction.
func (l *load) record(ctx context.Context, status string) error {
	res := *l.res
	res.Status = status
	res.FinishedAt = l.opts.now()
	res.DurationMS = res.FinishedAt.Sub(res.StartedAt).Milliseconds()
	summary, err := json.Marshal(&res)
	if err != nil {
		return err
	}
	read, loaded, rejected := res.Lines()
	songsURI, logsURI := l.uris()
	var errText any
	if res.Error != "" {
		errText = res.Error
	}
	if _, err := execBlock(ctx, l.sess, l.set, "run_insert",
		l.loadID, status, res.Mode, res.StartedAt, res.FinishedAt, res.DurationMS,
		songsURI, logsURI, res.FilesLoaded(), read, loaded, rejected, string(summary), errText); err != nil {
		return err
	}
	src, err := l.rejects.source(l.loadID)
	if err != nil {
		return fmt.Errorf("read back rejects: %w", err)
	}
	_, err = l.sess.CopyFrom(ctx, "sparkify_rejects", rejectColumns, src)
	return err
}

func (l *load) uris() (songs, logs any) {
	if l.opts.Songs != nil {
		songs = l.opts.Songs.URI()
	}
	if l.opts.Logs != nil {
		logs = l.opts.Logs.URI()
	}
	return
}

// recordFailure stores the failed run and all its rejects in a transaction
// of their own, after the load's was rolled back; staged rows the load
// committed (see stageCommitted) go.
func (l *load) recordFailure(ctx context.Context) error {
	l.sess.Rollback(ctx)
	if err := l.sess.Begin(ctx); err != nil {
		return err
	}
	if _, err := execBlock(ctx, l.sess, l.set, "staging_cleanup"); err != nil {
		l.sess.Rollback(ctx)
		return err
	}
	if err := l.record(ctx, StatusFailed); err != nil {
		l.sess.Rollback(ctx)
		return err
	}
	return l.sess.Commit(ctx)
}
