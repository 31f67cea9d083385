package s3

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sparkify/sparkify/internal/awsconf"
	"github.com/sparkify/sparkify/internal/config"
)

// Client is sparkify's access to S3: list, read with retries and resumes,
// write. It is safe for concurrent use.
type Client struct {
	api         *awss3.Client
	credSource  string // where the credentials come from, for messages
	unsigned    string // why requests go unsigned; "" when they are signed
	concurrency int
	resumes     int           // how many times one body read may be resumed
	resumePause time.Duration // base pause before a resume
	// regionGuessed: no region was configured, and a reading client starts
	// from probeRegion until it learns its bucket's (useBucketRegion).
	regionGuessed bool
}

// probeRegion is where a reading client with no configured region asks S3
// for its bucket's region: us-east-1 answers for every bucket, with the
// bucket's region in the x-amz-bucket-region header even when it refuses
// or redirects the request ("HeadBucket", Amazon S3 API Reference:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html).
const probeRegion = "us-east-1"

// Option adjusts a Client.
type Option func(*options)

type options struct {
	s3          []func(*awss3.Options)
	concurrency int
	resumes     int
	resumePause time.Duration
	maxAttempts int
	reading     bool
}

// WithS3Options adds options for the SDK's S3 client (endpoint, HTTP
// client, retryer).
func WithS3Options(fns ...func(*awss3.Options)) Option {
	return func(o *options) { o.s3 = append(o.s3, fns...) }
}

// WithConcurrency sets how many objects the pipeline reads at once.
func WithConcurrency(n int) Option { return func(o *options) { o.concurrency = n } }

// WithRetries sets how many attempts each request gets (the SDK's retryer)
// and how many times a broken body is resumed, with the base pause between
// resumes.
func WithRetries(attempts, resumes int, pause time.Duration) Option {
	return func(o *options) { o.maxAttempts, o.resumes, o.resumePause = attempts, resumes, pause }
}

// ForReading marks a client that only reads (the sources of etl and
// watch): with config.Config.NoSignRequest, or when the credential chain
// finds no credentials at all, its requests go unsigned, as public buckets
// allow. A client without it always signs: writes never go unsigned.
func ForReading() Option { return func(o *options) { o.reading = true } }

// NewClient builds a Client from sparkify's configuration: static keys from
// aws_credentials or dwh.cfg [AWS] when present, else the SDK's default
// chain; the SDK honours AWS_REGION, AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_S3. A custom endpoint (MinIO, a test server) is
// addressed path-style.
func NewClient(ctx context.Context, cfg *config.Config, opts ...Option) (*Client, error) {
	o := options{concurrency: DefaultConcurrency, resumes: 5, resumePause: 200 * time.Millisecond, maxAttempts: 5}
	for _, fn := range opts {
		fn(&o)
	}
	if cfg == nil {
		cfg = &config.Config{}
	}
	awsCfg, err := awsconf.Load(ctx, cfg)
	regionGuessed := false
	if errors.Is(err, awsconf.ErrNoRegion) && o.reading {
		// Someone reading a public bucket may have no AWS configuration at
		// all: ask S3 where the bucket is (see Bucket), from its default
		// region.
		awsCfg, err = awsconf.Load(ctx, cfg, awsconfig.WithRegion(probeRegion))
		regionGuessed = true
	}
	if err != nil {
		return nil, err
	}
	fns := []func(*awss3.Options){func(so *awss3.Options) {
		if so.BaseEndpoint != nil {
			so.UsePathStyle = true
		}
		so.Retryer = retry.NewStandard(func(r *retry.StandardOptions) { r.MaxAttempts = o.maxAttempts })
		// Objects written without a checksum (most public data sets) are
		// still read; the SDK need not log each one.
		so.DisableLogOutputChecksumValidationSkipped = true
	}}
	fns = append(fns, o.s3...)
	unsigned := ""
	if o.reading {
		unsigned = unsignedReason(ctx, cfg, awsCfg)
		if unsigned != "" {
			awsCfg.Credentials = aws.AnonymousCredentials{}
		}
	}
	api := awss3.NewFromConfig(awsCfg, fns...)
	return &Client{
		api: api, credSource: awsconf.CredentialSource(cfg), unsigned: unsigned, regionGuessed: regionGuessed,
		concurrency: max(o.concurrency, 1), resumes: o.resumes, resumePause: o.resumePause,
	}, nil
}

// unsignedReason says why a reading client should not sign: asked to, or
// no credentials anywhere in the chain. "" means sign.
func unsignedReason(ctx context.Context, cfg *config.Config, awsCfg aws.Config) string {
	if cfg.NoSignRequest {
		return "--no-sign-request"
	}
	if cfg.AWS.Key != "" {
		return ""
	}
	if awsCfg.Credentials == nil {
		return "no AWS credentials found"
	}
	if _, err := awsCfg.Credentials.Retrieve(ctx); err != nil && ctx.Err() == nil {
		return "no AWS credentials found"
	}
	return ""
}

// Unsigned says why the client's requests are unsigned (anonymous), or ""
// when they are signed.
func (c *Client) Unsigned() string { return c.unsigned }

// API is the SDK client, for callers that need an operation not wrapped here.
func (c *Client) API() *awss3.Client { return c.api }

// useBucketRegion, on a client whose region was guessed, asks S3 where
// bucket lives and addresses the client there. A bucket S3 does not
// locate keeps the guess (later requests then say what is wrong).
func (c *Client) useBucketRegion(ctx context.Context, bucket string) {
	if !c.regionGuessed {
		return
	}
	region := ""
	out, err := c.api.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(bucket)})
	var re *smithyhttp.ResponseError
	switch {
	case err == nil:
		region = aws.ToString(out.BucketRegion)
	case errors.As(err, &re) && re.Response != nil:
		region = re.Response.Header.Get("X-Amz-Bucket-Region")
	}
	if region != "" && region != c.api.Options().Region {
		o := c.api.Options()
		o.Region = region
		c.api = awss3.New(o)
	}
}

// Region returns the region a bucket lives in, or "" when S3 does not say.
func (c *Client) Region(ctx context.Context, bucket string) (string, error) {
	out, err := c.api.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err != nil {
		return "", c.explain("find the region of bucket "+bucket, bucket, "", err)
	}
	return aws.ToString(out.BucketRegion), nil
}

// canceled reports whether err is the context's doing.
func canceled(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (c *Client) String() string { return fmt.Sprintf("S3 client (credentials: %s)", c.credSource) }
