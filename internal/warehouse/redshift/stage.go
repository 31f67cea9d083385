package redshift

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/sparkify/sparkify/internal/source/s3"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// ErrNoStage means a Redshift load has nowhere to write its manifests.
var ErrNoStage = errors.New("no S3 staging prefix for Redshift")

// stageEnv is what staging by COPY needs, checked once per StageFiles.
type stageEnv struct {
	s3     *s3.Client
	bucket string // the stage bucket
	prefix string // the stage prefix, ending in "/"
	role   string // the IAM role the cluster assumes
	load   int64
}

func (s *Session) env(ctx context.Context, loadID int64) (*stageEnv, error) {
	cfg := s.w.cfg
	if cfg.Stage == "" {
		return nil, fmt.Errorf("%w: COPY reads manifests (and uploaded local files) from S3: pass --stage s3://bucket/prefix, or set STAGE in dwh.cfg [S3]", ErrNoStage)
	}
	bucket, key, err := s3.ParseURI(cfg.Stage)
	if err != nil {
		return nil, fmt.Errorf("--stage: %w", err)
	}
	if cfg.IAMRole.ARN == "" {
		return nil, fmt.Errorf("no IAM role for COPY: set ARN in dwh.cfg [IAM_ROLE] ('sparkify cluster up' writes it)")
	}
	client, err := s.w.s3(ctx)
	if err != nil {
		return nil, fmt.Errorf("S3 for Redshift staging: %w", err)
	}
	if key != "" && !strings.HasSuffix(key, "/") {
		key += "/"
	}
	return &stageEnv{s3: client, bucket: bucket, prefix: key + "sparkify/", role: cfg.IAMRole.ARN, load: loadID}, nil
}

// url names an object under the stage prefix.
func (e *stageEnv) url(rel string) string { return s3.URI(e.bucket, e.prefix+rel) }

func (e *stageEnv) loadDir() string { return "load-" + strconv.FormatInt(e.load, 10) + "/" }

// putDoc writes a small document to the stage and returns its URL.
func (e *stageEnv) putDoc(ctx context.Context, rel string, data []byte) (string, error) {
	if _, err := e.s3.PutBytes(ctx, e.bucket, e.prefix+rel, data, "application/json"); err != nil {
		return "", fmt.Errorf("write %s to the stage: %w", rel, err)
	}
	return e.url(rel), nil
}

// staged is one file as COPY will read it.
type staged struct {
	file        warehouse.StageFile
	url         string // s3:// URL COPY reads
	fingerprint string
	extras      *extras // its fields outside the schema and lines the decoder refuses, when read; or nil
}

// urlsOf lists the URLs COPY reads files from.
func urlsOf(files []staged) []string {
	urls := make([]string, len(files))
	for i, f := range files {
		urls[i] = f.url
	}
	return urls
}

// byURL indexes files by the URL COPY reads them from.
func byURL(files []staged) map[string]staged {
	m := make(map[string]staged, len(files))
	for _, f := range files {
		m[f.url] = f
	}
	return m
}

// StageFiles stages one kind of file by COPY from S3: local files are
// uploaded to the stage first; the files of a load share one COPY per
// compression, through a manifest listing exactly them (stageLogs,
// stageSongs).
func (s *Session) StageFiles(ctx context.Context, req warehouse.StageRequest) (*warehouse.StageReport, error) {
	env, err := s.env(ctx, req.LoadID)
	if err != nil {
		return nil, err
	}
	files, err := s.upload(ctx, env, req.Kind, req.Files)
	if err != nil {
		return nil, err
	}
	rep := &warehouse.StageReport{Files: map[int64]warehouse.FileCounts{}}
	s.aborted = nil
	switch req.Kind {
	case "log":
		err = s.stageLogs(ctx, env, req, files, rep)
	case "song":
		err = s.stageSongs(ctx, env, req, files, rep)
	default:
		err = fmt.Errorf("redshift: unknown kind of file %q", req.Kind)
	}
	if err != nil {
		s.reportAborted(rep, files)
		return rep, err
	}
	rep.NewFields = newFields(files)
	return rep, nil
}

// reportAborted adds to the report of a failed StageFiles, which holds the
// COPYs that completed, the lines the aborted COPY logged, and the bad
// lines sparkify's decoder found in the files no completed COPY read (those
// it read itself: local files, and S3 objects unless NoFieldScan), so that
// the failed run records every bad line it can know of. Those files count
// only their rejected lines.
func (s *Session) reportAborted(rep *warehouse.StageReport, files []staged) {
	completed := map[int64]bool{}
	for id := range rep.Files {
		completed[id] = true
	}
	ids := map[string]int64{}
	for _, f := range files {
		ids[f.file.URI] = f.file.FileID
	}
	reject := func(r warehouse.StageReject) {
		id, ok := ids[r.URI]
		if !ok || completed[id] {
			return
		}
		c := rep.Files[id]
		c.Lines++
		c.Rejected++
		rep.Files[id] = c
		rep.Rejects = append(rep.Rejects, r)
	}
	logged := map[string]map[int64]bool{}
	for _, r := range s.aborted {
		if logged[r.URI] == nil {
			logged[r.URI] = map[int64]bool{}
		}
		logged[r.URI][r.Line] = true
		reject(r)
	}
	s.aborted = nil
	for _, f := range files {
		if f.extras == nil {
			continue
		}
		for _, b := range f.extras.bad {
			if logged[f.file.URI][b.Line] {
				continue
			}
			b.URI = f.file.URI
			b.Reason += " (found by sparkify's decoder; the aborted COPY did not report it)"
			reject(b)
		}
	}
}

// region is the REGION a COPY of these objects needs: the buckets' region
// when it is not the cluster's. The manifest is read with the same REGION,
// so the stage bucket must then be in that region too.
func (s *Session) region(ctx context.Context, env *stageEnv, urls []string) (string, error) {
	if s.w.region == "" {
		return "", nil
	}
	buckets := map[string]bool{env.bucket: true}
	for _, u := range urls {
		b, _, _ := s3.ParseURI(u)
		buckets[b] = true
	}
	regions := map[string]string{}
	if s.regions == nil {
		s.regions = map[string]string{}
	}
	for b := range buckets {
		r, seen := s.regions[b]
		if !seen {
			r, _ = env.s3.Region(ctx, b) // an error leaves it unknown
			s.regions[b] = r
		}
		if r != "" {
			regions[b] = r // unknown: assume the cluster's
		}
	}
	want := ""
	for b, r := range regions {
		if r == s.w.region {
			continue
		}
		if want != "" && want != r {
			return "", fmt.Errorf("COPY reads one region, but bucket %s is in %s and another in %s: put the --stage bucket in the data's region", b, r, want)
		}
		want = r
	}
	if want != "" {
		for b, r := range regions {
			if r != want {
				return "", fmt.Errorf("the data is in %s but bucket %s is in %s: COPY reads the manifest and the data with one REGION; put the --stage bucket in %s", want, b, r, want)
			}
		}
	}
	return want, nil
}

func isGzip(key string) bool { return strings.EqualFold(path.Ext(key), ".gz") }

// budget is the MAXERROR of the next COPY: the rejects still allowed, plus
// one, so a load just over the limit completes its COPY and reports every
// rejected line (the pipeline then fails it with ErrTooManyRejects).
func (s *Session) budget(maxRejects int64) int64 {
	return max(maxRejects-s.rejected, 0) + 1
}
