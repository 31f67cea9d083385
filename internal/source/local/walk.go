package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sparkify/sparkify/internal/escape"
	"github.com/sparkify/sparkify/internal/source"
)

// walkers bounds the folders read at once: listing 100,000 song files is
// system calls, and a few in flight keep both cores busy.
const walkers = 4

// walker lists a tree in parallel. Each folder is read once; each data
// file is stat'ed relative to its folder's descriptor, which spares the
// kernel a lookup of the whole path per file.
type walker struct {
	d    *Dir
	ctx  context.Context
	skip func(key, reason string)
	sem  chan struct{}
	wg   sync.WaitGroup

	mu   sync.Mutex
	out  [][]source.Object // per folder: appending 100,000 objects to one slice copies them over and over
	n    int
	err  error
	skmu sync.Mutex
}

func (w *walker) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *walker) failed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err != nil
}

func (w *walker) skipped(key, reason string) {
	w.skmu.Lock()
	defer w.skmu.Unlock()
	w.skip(key, reason)
}

// dir lists one folder and descends into its subfolders (not symlinked
// ones, so a symlink loop cannot trap the walk).
func (w *walker) dir(path string) {
	if err := w.ctx.Err(); err != nil {
		w.fail(err)
		return
	}
	if w.failed() {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		w.fail(fmt.Errorf("list %s: %w", escape.Name(path), err))
		return
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		w.fail(fmt.Errorf("list %s: %w", escape.Name(path), err))
		return
	}
	fd := int(f.Fd())
	var objs []source.Object
	for _, de := range entries {
		p := filepath.Join(path, de.Name())
		if de.IsDir() {
			if source.IsDataFile(de.Name()) {
				w.skipped(w.d.key(p), "is a folder, not a file") // its files are still read
			}
			w.sub(p)
			continue
		}
		if !source.IsDataFile(de.Name()) {
			continue
		}
		var st unix.Stat_t
		err := fstatat(fd, de.Name(), &st) // follows a symlink to its target
		switch {
		case err != nil:
			w.skipped(w.d.key(p), (&os.PathError{Op: "stat", Path: escape.Name(p), Err: err}).Error())
			continue
		case st.Mode&unix.S_IFMT == unix.S_IFDIR:
			w.skipped(w.d.key(p), "is a folder, not a file")
			continue
		case st.Mode&unix.S_IFMT != unix.S_IFREG:
			w.skipped(w.d.key(p), "is not a regular file")
			continue
		}
		mtime := time.Unix(st.Mtim.Sec, st.Mtim.Nsec)
		objs = append(objs, source.Object{
			Key:     w.d.key(p),
			URI:     escape.Name(p),
			Size:    st.Size,
			Version: strconv.FormatInt(st.Size, 10) + "@" + strconv.FormatInt(mtime.UnixNano(), 10),
			ModTime: mtime,
		})
	}
	if len(objs) > 0 {
		w.mu.Lock()
		w.out = append(w.out, objs)
		w.n += len(objs)
		w.mu.Unlock()
	}
}

// objects is every listed file, sorted by key.
func (w *walker) objects() []source.Object {
	all := make([]source.Object, 0, w.n)
	for _, objs := range w.out {
		all = append(all, objs...)
	}
	slices.SortFunc(all, func(a, b source.Object) int { return strings.Compare(a.Key, b.Key) })
	return all
}

// sub lists a subfolder on another goroutine when one is free, else here.
func (w *walker) sub(path string) {
	select {
	case w.sem <- struct{}{}:
		w.wg.Add(1)
		go func() {
			defer func() { <-w.sem; w.wg.Done() }()
			w.dir(path)
		}()
	default:
		w.dir(path)
	}
}

func fstatat(dirfd int, name string, st *unix.Stat_t) error {
	for {
		err := unix.Fstatat(dirfd, name, st, 0)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// statRoot describes a root that is a single file rather than a folder.
func statRoot(root string) (fs.FileInfo, error) { return os.Stat(root) }
