package redshift

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zeebo/xxh3"
	"golang.org/x/sync/errgroup"

	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// uploadWorkers bounds the parallel uploads of local files.
const uploadWorkers = 8

// spoolLimit is the largest file held in memory while it is uploaded;
// bigger ones go through a temporary file (the SDK needs a seekable body).
const spoolLimit = 32 << 20

// upload gives every file an S3 URL COPY can read: S3 objects as they are,
// local files uploaded under the stage prefix (load-N/files/KIND/KEY), with
// their xxh3 fingerprint computed on the way, as the other engines do. The
// fields outside the schema are found in both (see extras): in S3 objects
// by reading them once, unless the config says not to (NoFieldScan).
func (s *Session) upload(ctx context.Context, env *stageEnv, kind string, files []warehouse.StageFile) ([]staged, error) {
	out := make([]staged, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(uploadWorkers)
	for i, f := range files {
		out[i] = staged{file: f, fingerprint: f.Fingerprint}
		if strings.HasPrefix(f.URI, "s3://") {
			out[i].url = f.URI
			if !s.w.cfg.NoFieldScan {
				g.Go(func() error {
					x, err := scanFile(gctx, kind, f)
					if err != nil {
						return fmt.Errorf("read %s for its fields: %w", f.URI, err)
					}
					out[i].extras = x
					return nil
				})
			}
			continue
		}
		rel := env.loadDir() + "files/" + kind + "/" + strings.TrimPrefix(f.Key, "/")
		out[i].url = env.url(rel)
		g.Go(func() error {
			fp, x, err := env.putFile(gctx, env.prefix+rel, kind, f)
			if err != nil {
				return fmt.Errorf("upload %s to %s: %w", f.URI, out[i].url, err)
			}
			out[i].fingerprint, out[i].extras = fp, x
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// putFile uploads one local file and returns its content fingerprint and
// its unknown fields.
func (e *stageEnv) putFile(ctx context.Context, key, kind string, f warehouse.StageFile) (string, *extras, error) {
	rc, err := f.Open(ctx)
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	h := xxh3.New128()
	src := io.TeeReader(rc, h)
	var body io.ReadSeeker
	var size int64
	if f.Size <= spoolLimit {
		data, err := io.ReadAll(src)
		if err != nil {
			return "", nil, err
		}
		body, size = bytes.NewReader(data), int64(len(data))
	} else {
		tmp, err := os.CreateTemp("", "sparkify-upload-*")
		if err != nil {
			return "", nil, err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if size, err = io.Copy(tmp, src); err != nil {
			return "", nil, err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return "", nil, err
		}
		body = tmp
	}
	x, err := findExtras(kind, f.Key, body)
	if err != nil {
		return "", nil, fmt.Errorf("read its fields: %w", err)
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return "", nil, err
	}
	if _, err := e.s3.Put(ctx, e.bucket, key, body, size, ""); err != nil {
		return "", nil, err
	}
	return source.ContentFingerprint(h), x, nil
}

// scanFile reads a file COPY reads in place, for its unknown fields.
func scanFile(ctx context.Context, kind string, f warehouse.StageFile) (*extras, error) {
	rc, err := f.Open(ctx)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return findExtras(kind, f.Key, rc)
}
