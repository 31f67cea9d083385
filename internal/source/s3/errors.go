package s3

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// ErrNoSuchBucket means the bucket of a location does not exist.
var ErrNoSuchBucket = errors.New("no such S3 bucket")

// ErrNoSuchKey means an object does not exist (any more).
var ErrNoSuchKey = errors.New("no such S3 object")

// ErrAccessDenied means the credentials may not do what was asked.
var ErrAccessDenied = errors.New("access to S3 denied")

// ErrUnsignedWrite means a write was asked of a client that reads unsigned:
// writes to S3 always need credentials.
var ErrUnsignedWrite = errors.New("writes to S3 are never unsigned: configure AWS credentials")

// ErrRefusedUnsigned means a bucket refused an unsigned (anonymous) request.
var ErrRefusedUnsigned = errors.New("the bucket refuses unsigned requests")

// ErrChanged means an object changed while it was being read.
var ErrChanged = errors.New("S3 object changed while being read")

// explain turns an SDK error into one that says what was being done, what
// S3 said, and what to do about it.
func (c *Client) explain(doing, bucket, key string, err error) error {
	var nsb *types.NoSuchBucket
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	var ae smithy.APIError
	code, status := "", 0
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	loc := URI(bucket, key)
	switch {
	case errors.As(err, &nsb) || code == "NoSuchBucket":
		return fmt.Errorf("%s: %w: bucket %q does not exist (or not in this account or endpoint); check the s3:// location (--songs, --logs, --stage or dwh.cfg [S3])",
			doing, ErrNoSuchBucket, bucket)
	case errors.As(err, &nsk) || code == "NoSuchKey" || (key != "" && (errors.As(err, &nf) || status == http.StatusNotFound)):
		return fmt.Errorf("%s: %w: %s does not exist; it may have been deleted after it was listed; rerun the load", doing, ErrNoSuchKey, loc)
	case errors.As(err, &nf) || status == http.StatusNotFound:
		return fmt.Errorf("%s: %w: bucket %q was not found; check the s3:// location", doing, ErrNoSuchBucket, bucket)
	case code == "PreconditionFailed" || status == http.StatusPreconditionFailed:
		return fmt.Errorf("%s: %w: %s was replaced while sparkify read it; rerun the load to read the new version", doing, ErrChanged, loc)
	case code == "InvalidObjectState":
		return fmt.Errorf("%s: %s is archived (Glacier or Deep Archive): restore it, or move it out of the prefix", doing, loc)
	case c.unsigned != "" && (code == "AccessDenied" || code == "AllAccessDisabled" || status == http.StatusForbidden):
		return fmt.Errorf("%s %s: %w (sparkify read it unsigned: %s): configure AWS credentials (KEY and SECRET in aws_credentials or dwh.cfg [AWS], AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and drop --no-sign-request",
			doing, loc, ErrRefusedUnsigned, c.unsigned)
	case code == "AccessDenied" || code == "AllAccessDisabled" || status == http.StatusForbidden:
		return fmt.Errorf("%s: %w to %s with %s: allow s3:ListBucket, s3:GetObject (and s3:PutObject for a Redshift --stage) on it",
			doing, ErrAccessDenied, loc, c.credSource)
	case code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "ExpiredToken":
		return fmt.Errorf("%s: S3 refused the credentials from %s (%s): check the key and secret", doing, c.credSource, code)
	}
	if strings.Contains(err.Error(), "failed to retrieve credentials") {
		return fmt.Errorf("%s: no usable AWS credentials: set KEY and SECRET in aws_credentials or dwh.cfg [AWS], AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE: %w", doing, err)
	}
	return fmt.Errorf("%s %s: %w", doing, loc, err)
}
