package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"

	"github.com/sparkify/sparkify/internal/source/s3"
)

// versionsDir holds the versions of an S3 export, under its prefix.
const versionsDir = "_v/"

// uploads is how many objects an S3 export uploads at once.
const uploads = 8

// versionName matches the folders of versionsDir that exports create
// (see exportID); cleanup deletes nothing else.
var versionName = regexp.MustCompile(`^\d{8}T\d{6}\.\d{3}Z-\d+$`)

// s3Dest is an export to an S3 prefix. S3 has no rename, so the files are
// uploaded under a new version prefix, prefix/_v/<id>/, and the pointer
// prefix/manifest.json (whose root names that version) is written last:
// readers that start from the manifest see the old export or the new one,
// never a mix. Then the other versions are deleted.
type s3Dest struct {
	client  *s3.Client
	uri     string
	bucket  string
	prefix  string // "" or ending in "/"
	tempDir string
	started string // the version prefix uploads began under, for abort
}

func newS3Dest(opts Options) (*s3Dest, error) {
	if opts.S3 == nil {
		return nil, fmt.Errorf("export to %s: no S3 client", opts.Out)
	}
	bucket, key, err := s3.ParseURI(opts.Out)
	if err != nil {
		return nil, err
	}
	prefix := strings.Trim(key, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &s3Dest{client: opts.S3, uri: opts.Out, bucket: bucket, prefix: prefix, tempDir: opts.TempDir}, nil
}

func (d *s3Dest) String() string { return s3.URI(d.bucket, d.prefix) }

// check refuses a prefix whose manifest.json another program wrote.
func (d *s3Dest) check(ctx context.Context) error {
	key := d.prefix + ManifestFile
	r, err := d.client.Open(ctx, d.bucket, key, "", -1)
	if errors.Is(err, s3.ErrNoSuchKey) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check the current export at %s: %w", s3.URI(d.bucket, key), err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return fmt.Errorf("read the current manifest %s: %w", s3.URI(d.bucket, key), err)
	}
	if _, err := ParseManifest(data); err != nil {
		return fmt.Errorf("%s: %w; choose another prefix for --out", s3.URI(d.bucket, key), err)
	}
	return nil
}

func (d *s3Dest) stage() (string, error) {
	staged, err := os.MkdirTemp(d.tempDir, "sparkify-export-")
	if err != nil {
		return "", fmt.Errorf("create a local staging folder for the S3 export (set TMPDIR to a folder with room): %w", err)
	}
	return staged, nil
}

// publish uploads the version, then the pointer, then deletes the other
// versions. Failures after the pointer is written are warnings: the new
// export is current by then.
func (d *s3Dest) publish(ctx context.Context, staged string, m *Manifest) ([]string, error) {
	defer os.RemoveAll(staged)
	root := versionsDir + m.ID + "/"
	d.started = d.prefix + root
	if err := d.upload(ctx, staged, d.started); err != nil {
		return nil, err
	}
	m.Root = root // the pointer names the version; the caller gets it too
	// From here the version is kept even if the pointer write fails: that
	// failure may be only the answer's, with the pointer written. An
	// orphaned version is deleted by the next export.
	d.started = ""
	if _, err := d.client.PutBytes(ctx, d.bucket, d.prefix+ManifestFile, m.encode(), "application/json"); err != nil {
		return nil, fmt.Errorf("switch readers to the new export (write %s): %w", s3.URI(d.bucket, d.prefix+ManifestFile), err)
	}
	return d.cleanup(ctx, m.ID), nil
}

// upload puts every staged file under the version prefix, a few at once;
// the version's own manifest goes last.
func (d *s3Dest) upload(ctx context.Context, staged, under string) error {
	var files []string
	err := filepath.WalkDir(staged, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && p != filepath.Join(staged, ManifestFile) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("list the staged export: %w", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(uploads)
	for _, p := range files {
		g.Go(func() error { return d.putFile(gctx, staged, p, under) })
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	return d.putFile(ctx, staged, filepath.Join(staged, ManifestFile), under)
}

func (d *s3Dest) putFile(ctx context.Context, staged, p, under string) error {
	rel, _ := filepath.Rel(staged, p)
	key := under + filepath.ToSlash(rel)
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("upload %s: %w", rel, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("upload %s: %w", rel, err)
	}
	if _, err := d.client.Put(ctx, d.bucket, key, f, info.Size(), contentType(p)); err != nil {
		return fmt.Errorf("upload the export: %w", err)
	}
	return nil
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".parquet":
		return "application/vnd.apache.parquet"
	case ".csv":
		return "text/csv"
	case ".json":
		return "application/json"
	}
	return ""
}

// cleanup deletes every version folder but the current one.
func (d *s3Dest) cleanup(ctx context.Context, current string) []string {
	versions, err := d.versions(ctx)
	if err != nil {
		return []string{fmt.Sprintf("the export is published, but old versions could not be listed for deletion: %v", err)}
	}
	var warnings []string
	for _, v := range versions {
		if v == current {
			continue
		}
		if err := d.deleteAll(ctx, d.prefix+versionsDir+v+"/"); err != nil {
			warnings = append(warnings, fmt.Sprintf("old version %s could not be deleted: %v; the next export retries", v, err))
		}
	}
	return warnings
}

// versions lists the version folders under prefix/_v/ that exports made.
func (d *s3Dest) versions(ctx context.Context) ([]string, error) {
	var out []string
	p := awss3.NewListObjectsV2Paginator(d.client.API(), &awss3.ListObjectsV2Input{
		Bucket: aws.String(d.bucket), Prefix: aws.String(d.prefix + versionsDir), Delimiter: aws.String("/"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", s3.URI(d.bucket, d.prefix+versionsDir), err)
		}
		for _, cp := range page.CommonPrefixes {
			name := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(cp.Prefix), d.prefix+versionsDir), "/")
			if versionName.MatchString(name) {
				out = append(out, name)
			}
		}
	}
	return out, nil
}

// deleteAll deletes every object under a prefix, 1,000 a request.
func (d *s3Dest) deleteAll(ctx context.Context, prefix string) error {
	p := awss3.NewListObjectsV2Paginator(d.client.API(), &awss3.ListObjectsV2Input{
		Bucket: aws.String(d.bucket), Prefix: aws.String(prefix),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list %s: %w", s3.URI(d.bucket, prefix), err)
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i] = types.ObjectIdentifier{Key: o.Key}
		}
		out, err := d.client.API().DeleteObjects(ctx, &awss3.DeleteObjectsInput{
			Bucket: aws.String(d.bucket), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		if err != nil {
			return fmt.Errorf("delete objects under %s (allow s3:DeleteObject): %w", s3.URI(d.bucket, prefix), err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return fmt.Errorf("delete %s: %s %s", s3.URI(d.bucket, aws.ToString(e.Key)), aws.ToString(e.Code), aws.ToString(e.Message))
		}
	}
	return nil
}

// abort removes the staging folder and whatever was uploaded of an
// unpublished version. It runs after a cancel too, so it gets a minute of
// its own.
func (d *s3Dest) abort(ctx context.Context, staged string) {
	os.RemoveAll(staged)
	if d.started == "" {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	d.deleteAll(cctx, d.started)
}
