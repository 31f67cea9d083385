package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// localDest is an export to a local folder DIR. It is staged in a sibling
// folder DIR.tmp-XXXX (same file system, so renames are atomic) and then
// swapped in: one atomic exchange where the system has it (Linux), else
// the old export is renamed aside to DIR.old-XXXX, the new one renamed in
// and the old one deleted. When the folder given is a symlink, DIR is
// what it names. The staging folder holds a marker (leftovers.go) until
// it is published.
type localDest struct {
	dir string // absolute, cleaned, symlinks of its last element resolved
	// given is the folder as the user named it (absolute), which may be a
	// symlink to dir.
	given string
	// exchange swaps two folders atomically (tests make it fail to take
	// the fallback).
	exchange func(a, b string) error
}

func newLocalDest(out string) (*localDest, error) {
	given, err := filepath.Abs(out)
	if err != nil {
		return nil, fmt.Errorf("export folder %s: %w", out, err)
	}
	dir, err := resolveLink(given)
	if err != nil {
		return nil, fmt.Errorf("export folder %s: %w", out, err)
	}
	if filepath.Dir(dir) == dir {
		return nil, fmt.Errorf("export folder %s: cannot replace the root folder; choose a folder inside it", out)
	}
	return &localDest{dir: dir, given: given, exchange: atomicExchange}, nil
}

// resolveLink follows p while it is a symlink and returns the path it
// names in the end (which need not exist yet). The export is staged beside
// that path and swapped in there, so the link stays a link and its target
// gets the new export; replacing p itself would replace the link.
func resolveLink(p string) (string, error) {
	for range 40 {
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return p, nil // missing (created by the export) or not a link
		}
		target, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("read the symlink %s: %w", p, err)
		}
		if !filepath.IsAbs(target) {
			// Relative to the link's folder as the kernel resolves it,
			// symlinks in that folder's path included.
			dir := filepath.Dir(p)
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				dir = real
			}
			target = filepath.Join(dir, target)
		}
		p = filepath.Clean(target)
	}
	return "", fmt.Errorf("too many levels of symlinks at %s", p)
}

// String is the folder as given: a reader who reads through a symlink
// finds the export there.
func (d *localDest) String() string { return d.given }

// check accepts a missing folder, an empty one, or a previous export (a
// folder with sparkify's manifest.json); anything else is refused, since
// publishing replaces the folder whole.
func (d *localDest) check(context.Context) error {
	info, err := os.Stat(d.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("check export folder: %w", err)
	case !info.IsDir():
		return fmt.Errorf("%w: %s is a file; choose a folder for --out", ErrNotAnExport, d.dir)
	}
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return fmt.Errorf("check export folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := ReadManifest(d.dir); err != nil {
		return fmt.Errorf("%w: %s is not empty and has no manifest.json written by sparkify export, and an export replaces its folder whole; choose a new or empty folder for --out (%v)",
			ErrNotAnExport, d.dir, err)
	}
	return nil
}

func (d *localDest) stage() (string, error) {
	parent := filepath.Dir(d.dir)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return "", fmt.Errorf("create the parent folder of %s: %w", d.dir, err)
	}
	removeLeftovers(d.dir)
	staged, err := mkdirTemp(parent, filepath.Base(d.dir)+".tmp-")
	if err != nil {
		return "", fmt.Errorf("create a staging folder beside %s: %w", d.dir, err)
	}
	if err := markStaged(staged); err != nil {
		os.RemoveAll(staged)
		return "", err
	}
	return staged, nil
}

// mkdirTemp creates a new folder parent/prefixNNNN as mkdir does: mode
// 0777 less the umask (os.MkdirTemp makes it 0700, which would keep
// other users out of the published export).
func mkdirTemp(parent, prefix string) (string, error) {
	for range 100 {
		dir := filepath.Join(parent, prefix+strconv.FormatUint(uint64(rand.Uint32()), 36))
		err := os.Mkdir(dir, 0o777)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no free name %s* in %s", prefix, parent)
}

// publish swaps the staged folder in and deletes the old export.
func (d *localDest) publish(ctx context.Context, staged string, _ *Manifest) ([]string, error) {
	// Check again: the folder may have changed while the export ran.
	if err := d.check(ctx); err != nil {
		return nil, err
	}
	// The marker must not be published. Without it no other export
	// deletes the folder; this process publishes or deletes it next.
	if err := unmarkStaged(staged); err != nil {
		return nil, err
	}
	if _, err := os.Stat(d.dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(staged, d.dir); err != nil {
			return nil, fmt.Errorf("move the export into place at %s: %w", d.dir, err)
		}
		return nil, nil
	}
	old := staged // after an exchange the old export is where the staged one was
	if err := d.exchange(staged, d.dir); err != nil {
		// No atomic exchange here: rename the old export aside, then the
		// new one in. Between the two renames DIR briefly does not exist.
		old = filepath.Join(filepath.Dir(d.dir), filepath.Base(d.dir)+".old-"+strings.TrimPrefix(filepath.Base(staged), filepath.Base(d.dir)+".tmp-"))
		if err := os.Rename(d.dir, old); err != nil {
			return nil, fmt.Errorf("move the previous export at %s aside: %w", d.dir, err)
		}
		if err := os.Rename(staged, d.dir); err != nil {
			if rerr := os.Rename(old, d.dir); rerr != nil {
				return nil, fmt.Errorf("move the export into place at %s: %w; the previous export is at %s: %v", d.dir, err, old, rerr)
			}
			return nil, fmt.Errorf("move the export into place at %s: %w (the previous export is unchanged)", d.dir, err)
		}
	}
	if old == staged {
		// Mark the old export, now at the staging name, so that if this
		// process dies before deleting it the next export does.
		markStaged(old)
	}
	if err := os.RemoveAll(old); err != nil {
		return []string{fmt.Sprintf("the previous export was replaced but could not be deleted from %s: %v; delete it by hand", old, err)}, nil
	}
	return nil, nil
}

// abort deletes the staging folder.
func (d *localDest) abort(_ context.Context, staged string) {
	os.RemoveAll(staged)
}
