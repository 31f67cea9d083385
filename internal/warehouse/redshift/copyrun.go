package redshift

import (
	"context"
	"fmt"
	"strconv"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// stageLogs stages the log files of a load with one COPY per compression,
// through a manifest listing exactly them, so the cluster's slices load
// them in parallel. COPY cannot say which file a row came from: the rows
// of a shared COPY carry the load's shared file id (minus the load id),
// and replacing one of its files later stages its COPY-mates again
// (CoReplaced). A lone file keeps its own id. When a shared COPY holds a
// row that fails validation, or its load log's per-file counts do not add
// up, its files are copied again one by one, so that every reject and
// every count names its file.
func (s *Session) stageLogs(ctx context.Context, env *stageEnv, req warehouse.StageRequest, files []staged, rep *warehouse.StageReport) error {
	jsonPaths, err := env.putDoc(ctx, "jsonpaths/events-v1.json", EventJSONPaths())
	if err != nil {
		return err
	}
	if err := s.block(ctx, "copy_events_begin"); err != nil {
		return err
	}
	var plain, gz []staged
	for _, f := range files {
		if isGzip(f.url) {
			gz = append(gz, f)
		} else {
			plain = append(plain, f)
		}
	}
	for _, g := range []struct {
		name  string
		files []staged
	}{{"logs", plain}, {"logs-gzip", gz}} {
		if len(g.files) == 0 {
			continue
		}
		if len(g.files) > 1 {
			done, err := s.copyLogs(ctx, env, req, jsonPaths, g.name, g.files, -req.LoadID, rep)
			if err != nil {
				return fmt.Errorf("stage %d log files: %w", len(g.files), err)
			}
			if done {
				continue
			}
		}
		for _, f := range g.files {
			if _, err := s.copyLogs(ctx, env, req, jsonPaths, "log-"+strconv.FormatInt(f.file.FileID, 10), []staged{f}, f.file.FileID, rep); err != nil {
				return fmt.Errorf("stage %s: %w", f.file.URI, err)
			}
		}
	}
	return nil
}

// copyLogs runs one COPY of files into staging, its rows tagged fileID. A
// COPY of several files that it cannot account for file by file stages
// nothing and returns false.
func (s *Session) copyLogs(ctx context.Context, env *stageEnv, req warehouse.StageRequest, jsonPaths, name string, files []staged, fileID int64, rep *warehouse.StageReport) (bool, error) {
	manifest, err := s.putManifest(ctx, env, name, files)
	if err != nil {
		return false, err
	}
	region, err := s.region(ctx, env, urlsOf(files))
	if err != nil {
		return false, err
	}
	c := &Copy{Table: "tmp_copy_events", Columns: EventColumns(), Manifest: manifest, IAMRole: env.role,
		JSONPaths: jsonPaths, GZIP: isGzip(files[0].url), Region: region, MaxError: s.budget(req.MaxRejects)}
	res, err := s.copy(ctx, c, files)
	if err != nil {
		return false, err
	}
	if err := s.block(ctx, "copy_events_validate"); err != nil {
		return false, err
	}
	invalid, err := s.invalid(ctx, "copy_events_invalid", files[0].file.URI)
	if err != nil {
		return false, err
	}
	if len(files) > 1 && (len(invalid) > 0 || !res.accounted(files)) {
		return false, s.block(ctx, "copy_events_end")
	}
	loaded, err := s.execBlock(ctx, "copy_events_stage", req.LoadID, fileID)
	if err != nil {
		return false, err
	}
	if err := s.keepEvents(ctx, req.LoadID, fileID, files); err != nil {
		return false, err
	}
	if err := s.block(ctx, "copy_events_end"); err != nil {
		return false, err
	}
	s.record(rep, res, files, invalid)
	if len(files) == 1 {
		// A lone file's rows, and the rows refused after COPY, are its own.
		f := files[0]
		rejected := int64(len(res.errors) + len(invalid))
		rep.Files[f.file.FileID] = warehouse.FileCounts{
			Lines: loaded + rejected, Loaded: loaded, Rejected: rejected, Fingerprint: f.fingerprint,
		}
	}
	return true, nil
}

// record adds a COPY's rejects, and each file's counts from the load log,
// to rep.
func (s *Session) record(rep *warehouse.StageReport, res *copyResult, files []staged, invalid []warehouse.StageReject) {
	for _, f := range files {
		lines, errs := res.lines[f.url], res.perFile[f.url]
		rep.Files[f.file.FileID] = warehouse.FileCounts{Lines: lines, Loaded: lines - errs, Rejected: errs, Fingerprint: f.fingerprint}
	}
	rep.Rejects = append(rep.Rejects, res.errors...)
	rep.Rejects = append(rep.Rejects, invalid...)
	s.rejected += int64(len(res.errors) + len(invalid))
}

// stageSongs copies the song files of a load with one COPY per
// compression ('auto ignorecase': field names match the columns), and the
// changed files (new versions of files loaded before) with COPYs of their
// own, whose records supersede the old versions' (copy_songs_supersede).
func (s *Session) stageSongs(ctx context.Context, env *stageEnv, req warehouse.StageRequest, files []staged, rep *warehouse.StageReport) error {
	if err := s.block(ctx, "copy_songs_begin"); err != nil {
		return err
	}
	changed, err := s.replacedSongs(ctx)
	if err != nil {
		return err
	}
	type group struct{ changed, gz bool }
	groups := map[group][]staged{}
	for _, f := range files {
		g := group{changed: changed[f.file.URI], gz: isGzip(f.url)}
		groups[g] = append(groups[g], f)
	}
	for _, g := range []group{{false, false}, {false, true}, {true, false}, {true, true}} {
		files := groups[g]
		if len(files) == 0 {
			continue
		}
		name := "songs"
		if g.changed {
			name += "-changed"
		}
		if g.gz {
			name += "-gzip"
		}
		manifest, err := s.putManifest(ctx, env, name, files)
		if err != nil {
			return err
		}
		region, err := s.region(ctx, env, urlsOf(files))
		if err != nil {
			return err
		}
		c := &Copy{Table: "tmp_copy_songs", Manifest: manifest, IAMRole: env.role, GZIP: g.gz, Region: region,
			MaxError: s.budget(req.MaxRejects)}
		res, err := s.copy(ctx, c, files)
		if err != nil {
			return fmt.Errorf("stage %d song files: %w", len(files), err)
		}
		if err := s.block(ctx, "copy_songs_validate"); err != nil {
			return err
		}
		// A song row does not say which file it came from: a record that
		// fails validation is reported against the manifest.
		invalid, err := s.invalid(ctx, "copy_songs_invalid", manifest)
		if err != nil {
			return err
		}
		if g.changed {
			if err := s.block(ctx, "copy_songs_supersede"); err != nil {
				return err
			}
		}
		if _, err := s.execBlock(ctx, "copy_songs_stage", req.LoadID); err != nil {
			return err
		}
		if err := s.keepSongs(ctx, req.LoadID, files); err != nil {
			return err
		}
		if err := s.block(ctx, "copy_songs_end"); err != nil {
			return err
		}
		s.record(rep, res, files, invalid)
	}
	return nil
}

// replacedSongs is the set of song files (by URI) this load replaces: the
// new versions of files loaded before.
func (s *Session) replacedSongs(ctx context.Context) (map[string]bool, error) {
	q, err := s.w.SQL().Text("copy_songs_replaced")
	if err != nil {
		return nil, err
	}
	rows, err := s.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("copy_songs_replaced: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var uri string
		if err := rows.Scan(&uri); err != nil {
			return nil, err
		}
		out[uri] = true
	}
	return out, rows.Err()
}

func (s *Session) putManifest(ctx context.Context, env *stageEnv, name string, files []staged) (string, error) {
	m, err := NewManifest(urlsOf(files))
	if err != nil {
		return "", err
	}
	return env.putDoc(ctx, env.loadDir()+"manifests/"+name+".manifest", m.JSON())
}

// invalid reads the rows a validation block marked, as rejects of uri
// (line 0: COPY does not say which line a row came from).
func (s *Session) invalid(ctx context.Context, block, uri string) ([]warehouse.StageReject, error) {
	q, err := s.w.SQL().Text(block)
	if err != nil {
		return nil, err
	}
	res, err := warehouse.Query(ctx, s.conn, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", block, err)
	}
	var out []warehouse.StageReject
	for _, vals := range res.Rows {
		raw := ""
		for i := 1; i < len(res.Columns); i++ {
			if i > 1 {
				raw += " "
			}
			raw += fmt.Sprintf("%s=%v", res.Columns[i], deref(vals[i]))
		}
		out = append(out, warehouse.StageReject{URI: uri, Reason: fmt.Sprint(deref(vals[0])) + " (line unknown: found after COPY)", Raw: raw})
	}
	return out, nil
}

func deref(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	if v == nil {
		return "null"
	}
	return v
}
