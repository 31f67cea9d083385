package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/sparkify/sparkify/internal/source"
)

// Open streams a listed object's bytes as stored (a .gz object stays
// compressed). The request is retried by the SDK on throttling, 5xx and
// connection errors; when the body breaks mid-stream the reader resumes
// where it stopped with a Range request that must match the listed ETag,
// so a resumed read never splices two versions of an object.
func (b *Bucket) Open(ctx context.Context, obj source.Object) (io.ReadCloser, error) {
	bucket, key, err := ParseURI(obj.URI)
	if err != nil {
		return nil, err
	}
	return b.client.Open(ctx, bucket, key, strings.TrimPrefix(obj.Version, "etag:"), obj.Size)
}

// Open streams an object. etag, when not "", must still match; size, when
// not negative, is the length expected.
func (c *Client) Open(ctx context.Context, bucket, key, etag string, size int64) (io.ReadCloser, error) {
	r := &objectReader{ctx: ctx, c: c, bucket: bucket, key: key, etag: etag, size: size}
	if err := r.get(); err != nil {
		return nil, err
	}
	return r, nil
}

// objectReader reads one object, resuming after a broken body.
type objectReader struct {
	ctx         context.Context
	c           *Client
	bucket, key string
	etag        string
	size        int64
	off         int64
	body        io.ReadCloser
	resumed     int
	lastFailure error
}

func (r *objectReader) get() error {
	in := &awss3.GetObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(r.key)}
	if r.etag != "" {
		in.IfMatch = aws.String(`"` + r.etag + `"`)
	}
	if r.off > 0 {
		in.Range = aws.String("bytes=" + strconv.FormatInt(r.off, 10) + "-")
	}
	out, err := r.c.api.GetObject(r.ctx, in)
	if err != nil {
		if canceled(r.ctx, err) {
			return r.ctx.Err()
		}
		doing := "read"
		if r.off > 0 {
			doing = fmt.Sprintf("resume reading at byte %d (after: %v)", r.off, r.lastFailure)
		}
		return r.c.explain(doing, r.bucket, r.key, err)
	}
	if r.size < 0 && out.ContentLength != nil {
		r.size = r.off + *out.ContentLength
	}
	r.body = out.Body
	return nil
}

// Read reads from the current body; on a failure before the expected end it
// pauses, reopens from the offset reached and goes on.
func (r *objectReader) Read(p []byte) (int, error) {
	for {
		if r.body == nil {
			if err := r.get(); err != nil {
				return 0, err
			}
		}
		n, err := r.body.Read(p)
		r.off += int64(n)
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, io.EOF) && (r.size < 0 || r.off >= r.size):
			return n, io.EOF
		case errors.Is(err, io.EOF):
			err = fmt.Errorf("body ended at byte %d of %d: %w", r.off, r.size, io.ErrUnexpectedEOF)
		}
		r.body.Close()
		r.body = nil
		if r.ctx.Err() != nil {
			return n, r.ctx.Err()
		}
		if r.resumed >= r.c.resumes {
			return n, fmt.Errorf("read %s at byte %d: %w (gave up after %d resumes)", URI(r.bucket, r.key), r.off, err, r.resumed)
		}
		r.resumed++
		r.lastFailure = err
		select {
		case <-time.After(r.c.resumePause * time.Duration(r.resumed)):
		case <-r.ctx.Done():
			return n, r.ctx.Err()
		}
		if n > 0 {
			return n, nil
		}
	}
}

// Close releases the body.
func (r *objectReader) Close() error {
	if r.body == nil {
		return nil
	}
	err := r.body.Close()
	r.body = nil
	return err
}
