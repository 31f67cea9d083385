package warehouse

import (
	"context"
	"io"
)

// FileStager is an optional Session ability, found by type assertion: an
// engine that reads raw files itself (Redshift's COPY from S3) stages a
// whole kind of file in one call instead of receiving decoded rows through
// CopyFrom. Engines without it get rows decoded by sparkify.
//
// When StageFiles fails it may still return a report: the counts and the
// rejected lines of what it read before it stopped (a COPY aborted by
// MAXERROR), which the pipeline records with the failed run.
type FileStager interface {
	StageFiles(ctx context.Context, req StageRequest) (*StageReport, error)
}

// StageRequest asks an engine to stage files into staging_songs (Kind
// "song") or staging_events (Kind "log"), tagging rows with LoadID.
type StageRequest struct {
	Kind       string
	LoadID     int64
	Files      []StageFile
	MaxRejects int64
}

// StageFile is one file to stage.
type StageFile struct {
	FileID int64
	// URI is where the file is: s3://bucket/key, or a local path that the
	// engine must upload somewhere it can read (Open gives its bytes).
	URI  string
	Key  string // relative to the source root
	Size int64
	// Fingerprint is the content identity when known without reading (ETag).
	Fingerprint string
	Open        func(ctx context.Context) (io.ReadCloser, error)
}

// StageReport is what staging did, per file, plus the rejected lines.
type StageReport struct {
	Files   map[int64]FileCounts // by FileID
	Rejects []StageReject
	// NewFields are the names of fields outside sparkify's schema that the
	// staged records carried, where the engine can tell (sorted).
	NewFields []string
}

// FileCounts are one file's line counts: Lines = Loaded + Rejected.
type FileCounts struct {
	Lines, Loaded, Rejected int64
	Fingerprint             string
}

// StageReject is a line the engine refused, with where and why.
type StageReject struct {
	URI    string
	Line   int64
	Reason string
	Raw    string
}

// CoReplacer is an optional Session ability, found by type assertion: an
// engine that stages several files into rows it cannot tell apart (Redshift
// loads the log files of a load with one COPY) names, for the loaded files
// a load replaces, the other loaded files whose staged rows go with theirs.
// The pipeline reads those files again from the source, so that their rows
// come back. It is asked before the load's transaction begins.
type CoReplacer interface {
	CoReplaced(ctx context.Context, fileIDs []int64) ([]int64, error)
}
