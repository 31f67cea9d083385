package s3

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
)

// Put writes an object. body must be seekable (the SDK signs and may
// resend it): files and byte readers are. It returns the new ETag.
// A client that reads unsigned (ForReading) never writes.
func (c *Client) Put(ctx context.Context, bucket, key string, body io.ReadSeeker, size int64, contentType string) (string, error) {
	if c.unsigned != "" {
		return "", fmt.Errorf("write %s: %w", URI(bucket, key), ErrUnsignedWrite)
	}
	in := &awss3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          body,
		ContentLength: aws.Int64(size),
	}
	if contentType != "" {
		in.ContentType = aws.String(contentType)
	}
	out, err := c.api.PutObject(ctx, in)
	if err != nil {
		if canceled(ctx, err) {
			return "", ctx.Err()
		}
		return "", c.explain("write", bucket, key, err)
	}
	return aws.ToString(out.ETag), nil
}

// PutBytes writes a small object held in memory.
func (c *Client) PutBytes(ctx context.Context, bucket, key string, data []byte, contentType string) (string, error) {
	return c.Put(ctx, bucket, key, bytes.NewReader(data), int64(len(data)), contentType)
}
