// Package local is the Source for a folder on this machine, searched
// recursively.
package local

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sparkify/sparkify/internal/escape"
	"github.com/sparkify/sparkify/internal/source"
)

// Dir is a local folder (or a single file) of raw data.
//
// A file name is bytes, not always UTF-8: the Objects it lists carry their
// Key and URI in escape.Name's lossless form (\xHH for a byte that is not
// UTF-8, \\ for a backslash), which is what the warehouse records and
// every output shows; Open decodes it back to the real name.
type Dir struct {
	root string
	uri  string
}

var _ source.Source = (*Dir)(nil)

// New returns the Source for a folder. The folder must exist.
func New(path string) (*Dir, error) {
	if path == "" {
		return nil, fmt.Errorf("no source folder given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("source %s: %w", escape.Name(path), err)
	}
	return &Dir{root: abs, uri: path}, nil
}

// URI is the folder as given, in escape.Name's form.
func (d *Dir) URI() string { return escape.Name(d.uri) }

// List walks the folder, several subfolders at a time. Symlinks to files
// are followed; symlinked folders are not descended into (so a symlink loop
// cannot trap the walk).
func (d *Dir) List(ctx context.Context, skip func(key, reason string)) ([]source.Object, error) {
	info, err := statRoot(d.root)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("source %s is not a file or folder", d.URI())
		}
		return []source.Object{{
			Key: d.key(d.root), URI: escape.Name(d.root), Size: info.Size(), ModTime: info.ModTime(),
			Version: strconv.FormatInt(info.Size(), 10) + "@" + strconv.FormatInt(info.ModTime().UnixNano(), 10),
		}}, nil
	}
	w := &walker{d: d, ctx: ctx, skip: skip, sem: make(chan struct{}, walkers)}
	w.dir(d.root)
	w.wg.Wait()
	if w.err != nil {
		return nil, w.err
	}
	return w.objects(), nil
}

// key is p relative to the root, with forward slashes, in escape.Name's form.
func (d *Dir) key(p string) string { return escape.Name(d.rel(p)) }

func (d *Dir) rel(p string) string {
	if len(p) > len(d.root)+1 && p[len(d.root)] == filepath.Separator && strings.HasPrefix(p, d.root) {
		return filepath.ToSlash(p[len(d.root)+1:]) // the walk's paths: root joined with more
	}
	rel, err := filepath.Rel(d.root, p)
	if err != nil || rel == "." {
		return filepath.Base(p)
	}
	return filepath.ToSlash(rel)
}

// Open opens a listed file. It reads through the file descriptor directly:
// an os.File would register every one of thousands of small song files with
// the runtime's poller, a system call each, for nothing.
func (d *Dir) Open(ctx context.Context, obj source.Object) (io.ReadCloser, error) {
	path, err := escape.Unname(obj.URI)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: obj.URI, Err: err}
	}
	fd, err := openFD(path)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: obj.URI, Err: err}
	}
	return &fdFile{fd: fd, name: obj.URI}, nil
}
