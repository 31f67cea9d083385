package s3

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/sparkify/sparkify/internal/source"
)

// List reports every data object under the prefix, page by page (S3 returns
// at most 1,000 keys a page). Keys are relative to the prefix. An object
// whose name ends in "/" (a console "folder") is not a file and is skipped.
// A prefix with no objects at all is an error, like a missing local folder;
// a prefix that names one object (s3://b/logs/day.json) lists that object.
func (b *Bucket) List(ctx context.Context, skip func(key, reason string)) ([]source.Object, error) {
	out, any, err := b.list(ctx, b.prefix, skip)
	if err != nil {
		return nil, err
	}
	if !any && b.prefix != "" {
		single := strings.TrimSuffix(b.prefix, "/")
		if obj, ok, err := b.head(ctx, single); err != nil {
			return nil, err
		} else if ok {
			return []source.Object{obj}, nil
		}
		return nil, fmt.Errorf("list %s: no objects under this prefix; check the s3:// location (keys are case-sensitive)", b.uri)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (b *Bucket) list(ctx context.Context, prefix string, skip func(key, reason string)) ([]source.Object, bool, error) {
	var out []source.Object
	any := false
	p := awss3.NewListObjectsV2Paginator(b.client.api, &awss3.ListObjectsV2Input{
		Bucket: aws.String(b.bucket),
		Prefix: aws.String(prefix),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if canceled(ctx, err) {
				return nil, false, ctx.Err()
			}
			return nil, false, b.client.explain("list", b.bucket, prefix, err)
		}
		for _, o := range page.Contents {
			any = true
			key := aws.ToString(o.Key)
			rel := strings.TrimPrefix(key, prefix)
			switch {
			case strings.HasSuffix(key, "/"):
				continue // a folder marker
			case !source.IsDataFile(path.Base(key)):
				continue
			}
			out = append(out, b.object(key, rel, aws.ToInt64(o.Size), aws.ToString(o.ETag)))
		}
	}
	return out, any, nil
}

// head looks up one object by its full key; ok is false when it is absent.
func (b *Bucket) head(ctx context.Context, key string) (source.Object, bool, error) {
	if !source.IsDataFile(path.Base(key)) {
		return source.Object{}, false, nil
	}
	out, err := b.client.api.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(key)})
	if err != nil {
		e := b.client.explain("look up", b.bucket, key, err)
		if errors.Is(e, ErrNoSuchKey) {
			return source.Object{}, false, nil
		}
		return source.Object{}, false, e
	}
	return b.object(key, path.Base(key), aws.ToInt64(out.ContentLength), aws.ToString(out.ETag)), true, nil
}

// object builds a listed object. The ETag (quotes dropped) is both the
// quick-check version and the content fingerprint: S3 changes it whenever
// the content changes.
func (b *Bucket) object(key, rel string, size int64, etag string) source.Object {
	etag = strings.Trim(etag, `"`)
	return source.Object{
		Key:         rel,
		URI:         URI(b.bucket, key),
		Size:        size,
		Version:     "etag:" + etag,
		Fingerprint: "etag:" + etag,
	}
}
