package redshift

import (
	"context"
	"fmt"
	"slices"

	"github.com/sparkify/sparkify/internal/warehouse"
)

var _ warehouse.CoReplacer = (*Session)(nil)

// CoReplaced names the loaded log files that a shared COPY staged together
// with one of fileIDs (see stageLogs): replacing that file removes their
// rows too, so the pipeline stages them again.
func (s *Session) CoReplaced(ctx context.Context, fileIDs []int64) ([]int64, error) {
	q, err := s.w.SQL().Text("copy_events_mates")
	if err != nil {
		return nil, err
	}
	var out []int64
	covered := map[int64]bool{} // files whose shared COPY is known already
	for _, id := range fileIDs {
		if covered[id] {
			continue
		}
		rows, err := s.conn.QueryContext(ctx, q, id)
		if err != nil {
			return nil, fmt.Errorf("copy_events_mates: %w", err)
		}
		for rows.Next() {
			var mate int64
			if err := rows.Scan(&mate); err != nil {
				rows.Close()
				return nil, err
			}
			covered[mate] = true
			if !slices.Contains(fileIDs, mate) && !slices.Contains(out, mate) {
				out = append(out, mate)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}
