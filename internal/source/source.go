// Package source lists and opens raw input files wherever they live: a local
// folder (local/) or an S3 prefix (s3/). The pipeline sees only Source.
package source

import (
	"context"
	"io"
	"strings"
	"time"
)

// Object is one input file.
type Object struct {
	// Key is the path relative to the source root, with forward slashes.
	Key string
	// URI names the object absolutely: a local path or s3://bucket/key.
	URI string
	// Size in bytes.
	Size int64
	// Version is a quick-check token: when it is unchanged the content is
	// taken as unchanged without reading it (size+mtime locally, the ETag on S3).
	Version string
	// Fingerprint identifies the content when the backend knows it without
	// reading (the S3 ETag); "" when it must be computed from the bytes.
	Fingerprint string
	// ModTime is when the object was last written (S3: LastModified).
	ModTime time.Time
}

// Source is a place raw files are read from.
//
// List reports every object whose name ends in .json, .jsonl or .ndjson
// (optionally .gz), in lexical order of Key. Entries that are not files (a
// folder named x.json, a broken or looping symlink) are reported to skip
// and not listed. Open returns the object's bytes as stored (still
// compressed); it may be called from several goroutines at once.
type Source interface {
	// URI is the source's root as the user gave it.
	URI() string
	List(ctx context.Context, skip func(key, reason string)) ([]Object, error)
	Open(ctx context.Context, obj Object) (io.ReadCloser, error)
}

// IsDataFile reports whether a name is one sparkify reads.
func IsDataFile(name string) bool {
	n := strings.ToLower(name)
	n = strings.TrimSuffix(n, ".gz")
	return strings.HasSuffix(n, ".json") || strings.HasSuffix(n, ".jsonl") || strings.HasSuffix(n, ".ndjson")
}

// Concurrent is an optional Source ability, found by type assertion: a
// source whose reads wait on the network (S3) says how many files the
// pipeline may read at once. Sources without it get one reader per CPU.
type Concurrent interface {
	Concurrency() int
}
