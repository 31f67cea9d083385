// Package awsconf builds the aws.Config that every AWS client in sparkify
// uses, from sparkify's *config.Config: the region and static credentials of
// the original project's aws_credentials file when present, otherwise the
// SDK's standard chain (environment, shared files, SSO, instance role).
//
// The SDK itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, so
// a local server can stand in for AWS in end-to-end tests. Nothing here is
// specific to one AWS service.
package awsconf

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/sparkify/sparkify/internal/config"
)

// ErrNoRegion is returned when no region is configured anywhere.
var ErrNoRegion = errors.New("no AWS region configured")

// ErrIncompleteCredentials is returned when a static key has no secret.
var ErrIncompleteCredentials = errors.New("incomplete AWS credentials")

// Load returns an aws.Config for c. Static credentials from c.AWS win over
// the SDK's chain when c.AWS.Key is set; c.AWS.Region wins over the chain's
// region. Extra options (retries, HTTP client, ...) are applied last.
func Load(ctx context.Context, c *config.Config, opts ...func(*awsconfig.LoadOptions) error) (aws.Config, error) {
	var all []func(*awsconfig.LoadOptions) error
	if c.AWS.Region != "" {
		all = append(all, awsconfig.WithRegion(c.AWS.Region))
	}
	if c.AWS.Key != "" {
		if c.AWS.Secret == "" {
			return aws.Config{}, fmt.Errorf("%w: %s has KEY but no SECRET", ErrIncompleteCredentials, CredentialSource(c))
		}
		// Reveal only to hand the secret to the SDK.
		all = append(all, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.AWS.Key, c.AWS.Secret.Reveal(), "")))
	}
	all = append(all, opts...)
	cfg, err := awsconfig.LoadDefaultConfig(ctx, all...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("%w: set REGION in aws_credentials, AWS_REGION, or region in ~/.aws/config", ErrNoRegion)
	}
	return cfg, nil
}

// CredentialSource says in words where the credentials come from, for
// error messages. It never includes the secret.
func CredentialSource(c *config.Config) string {
	switch {
	case c.AWS.Key != "" && c.AWS.CredentialsFile != "":
		return "the credentials file " + c.AWS.CredentialsFile
	case c.AWS.Key != "":
		return "the [AWS] section of " + nonEmpty(c.File, config.DefaultConfigFile)
	}
	return "the AWS default chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws, SSO or an instance role)"
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
