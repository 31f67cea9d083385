// Package s3 is the Source for an S3 prefix (s3://bucket/prefix), read
// through the AWS SDK with the credentials and region of sparkify's
// configuration (see internal/awsconf): objects are listed page by page,
// streamed, retried on transient errors and resumed with a Range request
// when a body breaks mid-stream. An object is identified by its key and
// ETag, so an incremental load rereads exactly the objects that changed.
//
// The same Client writes objects too (Put): the Redshift warehouse uploads
// local files, COPY manifests and its JSONPaths document with it.
package s3

import (
	"context"
	"fmt"
	"strings"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/source"
)

// DefaultConcurrency is how many objects the pipeline reads at once from
// S3: reads wait on the network, not the CPU, so far more than one per core.
const DefaultConcurrency = 16

// Bucket is the Source for the objects under one S3 prefix.
type Bucket struct {
	client *Client
	uri    string
	bucket string
	prefix string // "" or ending in "/"
}

var (
	_ source.Source     = (*Bucket)(nil)
	_ source.Concurrent = (*Bucket)(nil)
)

// New opens the Source for uri (s3://bucket/prefix) with the AWS settings
// of cfg. opts adjust the S3 client (tests point it at a local server).
func New(ctx context.Context, uri string, cfg *config.Config, opts ...Option) (*Bucket, error) {
	c, err := NewClient(ctx, cfg, opts...)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", uri, err)
	}
	b, err := c.Source(uri)
	if err != nil {
		return nil, err
	}
	c.useBucketRegion(ctx, b.bucket)
	return b, nil
}

// Source returns the Source for uri using this client.
func (c *Client) Source(uri string) (*Bucket, error) {
	bucket, key, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	prefix := key
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return &Bucket{client: c, uri: uri, bucket: bucket, prefix: prefix}, nil
}

// URI is the prefix as given.
func (b *Bucket) URI() string { return b.uri }

// Concurrency is how many objects may be read at once.
func (b *Bucket) Concurrency() int { return b.client.concurrency }

// Client is the S3 client the source reads with.
func (b *Bucket) Client() *Client { return b.client }

// ParseURI splits s3://bucket/key into its bucket and key (which may be
// empty). Anything else is an error that shows the expected form.
func ParseURI(uri string) (bucket, key string, err error) {
	if len(uri) < 5 || !strings.EqualFold(uri[:5], "s3://") {
		return "", "", fmt.Errorf("%q is not an S3 location: use s3://bucket/prefix", uri)
	}
	rest := uri[5:]
	bucket, key, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%q names no bucket: use s3://bucket/prefix", uri)
	}
	return bucket, key, nil
}

// URI renders s3://bucket/key.
func URI(bucket, key string) string { return "s3://" + bucket + "/" + key }

// Unsigned says why the source's requests are unsigned, or "" when they
// are signed (see ForReading).
func (b *Bucket) Unsigned() string { return b.client.unsigned }

// Region is the AWS region the source's requests go to.
func (b *Bucket) Region() string { return b.client.api.Options().Region }
