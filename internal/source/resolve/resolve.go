// Package resolve opens the Source a location names, choosing the backend
// from one explicit table of URI schemes.
package resolve

import (
	"context"
	"fmt"
	"strings"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/source/local"
	"github.com/sparkify/sparkify/internal/source/s3"
)

// Opener opens one kind of source.
type Opener func(ctx context.Context, uri string, cfg *config.Config) (source.Source, error)

// backends maps a URI scheme to its backend; "" is a local path.
var backends = map[string]Opener{
	"": func(_ context.Context, uri string, _ *config.Config) (source.Source, error) {
		return local.New(uri)
	},
	"file": func(_ context.Context, uri string, _ *config.Config) (source.Source, error) {
		return local.New(strings.TrimPrefix(uri, "file://"))
	},
	"s3": func(ctx context.Context, uri string, cfg *config.Config) (source.Source, error) {
		return s3.New(ctx, uri, cfg, s3.ForReading())
	},
}

// Scheme is the part of a location before "://", or "" for a path.
func Scheme(uri string) string {
	if i := strings.Index(uri, "://"); i > 0 {
		return strings.ToLower(uri[:i])
	}
	return ""
}

// Open opens the source at uri. An empty uri gives a nil Source.
func Open(ctx context.Context, uri string, cfg *config.Config) (source.Source, error) {
	if uri == "" {
		return nil, nil
	}
	open, ok := backends[Scheme(uri)]
	if !ok {
		return nil, fmt.Errorf("unsupported source %q: use a local folder or s3://bucket/prefix", uri)
	}
	return open(ctx, uri, cfg)
}
