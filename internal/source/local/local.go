// Package local is the Source for a folder on this machine, searched
// recursively.
package local

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/sparkify/sparkify/internal/source"
)

// Dir is a local folder (or a single file) of raw data.
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
		return nil, fmt.Errorf("source %s: %w", path, err)
	}
	return &Dir{root: abs, uri: path}, nil
}

// URI is the folder as given.
func (d *Dir) URI() string { return d.uri }

// List walks the folder. Symlinks to files are followed; symlinked folders
// are not descended into (so a symlink loop cannot trap the walk).
func (d *Dir) List(ctx context.Context, skip func(key, reason string)) ([]source.Object, error) {
	var out []source.Object
	err := filepath.WalkDir(d.root, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if p == d.root {
				return err
			}
			return fmt.Errorf("list %s: %w", p, err)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if de.IsDir() {
			if p != d.root && source.IsDataFile(de.Name()) {
				skip(d.key(p), "is a folder, not a file") // its files are still read
			}
			return nil
		}
		if !source.IsDataFile(de.Name()) {
			return nil
		}
		key := d.key(p)
		info, err := os.Stat(p) // follows a symlink to its target
		switch {
		case err != nil:
			skip(key, err.Error())
			return nil
		case info.IsDir():
			skip(key, "is a folder, not a file")
			return nil
		case !info.Mode().IsRegular():
			skip(key, "is not a regular file")
			return nil
		}
		out = append(out, source.Object{
			Key:     key,
			URI:     p,
			Size:    info.Size(),
			Version: strconv.FormatInt(info.Size(), 10) + "@" + strconv.FormatInt(info.ModTime().UnixNano(), 10),
			ModTime: info.ModTime(),
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (d *Dir) key(p string) string {
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
	fd, err := openFD(obj.URI)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: obj.URI, Err: err}
	}
	return &fdFile{fd: fd, name: obj.URI}, nil
}
