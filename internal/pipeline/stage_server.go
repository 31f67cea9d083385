package pipeline

import (
	"context"
	"fmt"
	"io"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// stageOnServer hands a kind of file to an engine that stages files itself
// (Redshift COPY), then takes back its per-file counts, rejects and new
// fields; those of a failed call too, for the failed run's record.
func (l *load) stageOnServer(ctx context.Context, fs warehouse.FileStager, kind string, tasks []*task) ([]string, error) {
	req := warehouse.StageRequest{Kind: kind, LoadID: l.loadID, MaxRejects: l.opts.MaxRejects}
	for _, t := range tasks {
		t := t
		req.Files = append(req.Files, warehouse.StageFile{
			FileID: t.fileID, URI: t.obj.URI, Key: t.obj.Key, Size: t.obj.Size, Fingerprint: t.obj.Fingerprint,
			Open: func(ctx context.Context) (io.ReadCloser, error) { return t.src.Open(ctx, t.obj) },
		})
	}
	rep, err := fs.StageFiles(ctx, req)
	if rep == nil {
		if err == nil {
			err = fmt.Errorf("engine staged %s files without a report", kind)
		}
		return nil, err
	}
	for _, r := range rep.Rejects {
		l.rejects.add(kind, r.URI, record.Reject{Line: r.Line, Reason: r.Reason, Raw: record.RawText([]byte(r.Raw))})
	}
	for _, t := range tasks {
		c, ok := rep.Files[t.fileID]
		if !ok {
			if err == nil {
				err = fmt.Errorf("engine staged no report for %s", t.obj.URI)
			}
			continue // a failed call reports the files it got to
		}
		t.lines, t.loaded, t.rejected, t.fingerprint = c.Lines, c.Loaded, c.Rejected, c.Fingerprint
		if t.fingerprint == "" {
			t.fingerprint = t.obj.Version
		}
		l.opts.Progress.FileDone(t.obj.Size)
	}
	return rep.NewFields, err
}
