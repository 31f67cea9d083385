package export

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A local export stages into DIR.tmp-XXXX and records its process id
// beside it, in DIR.tmp-XXXX.pid. An export killed before it could clean
// up leaves both; the next export to DIR deletes such leftovers whose
// process is gone. Leftovers of a running export are left alone, and so is
// a staging folder without a pid file until it is a minute old (its export
// may be between creating the folder and writing the file).

const pidSuffix = ".pid"

// markStaged records this process as the owner of a staging folder.
func markStaged(staged string) error {
	return os.WriteFile(staged+pidSuffix, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// unmarkStaged removes a staging folder's owner record.
func unmarkStaged(staged string) { os.Remove(staged + pidSuffix) }

// removeLeftovers deletes the staging folders of dead exports to dir,
// and returns the ones it deleted.
func removeLeftovers(dir string) []string {
	parent, prefix := filepath.Dir(dir), filepath.Base(dir)+".tmp-"
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, prefix) {
			continue
		}
		staged := filepath.Join(parent, name)
		if !abandoned(staged) {
			continue
		}
		if err := os.RemoveAll(staged); err == nil {
			unmarkStaged(staged)
			removed = append(removed, staged)
		}
	}
	return removed
}

// abandoned reports whether no running process owns a staging folder.
func abandoned(staged string) bool {
	raw, err := os.ReadFile(staged + pidSuffix)
	if errors.Is(err, os.ErrNotExist) {
		info, err := os.Stat(staged)
		return err == nil && time.Since(info.ModTime()) > time.Minute
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || pid <= 0 {
		return true
	}
	if pid == os.Getpid() {
		return false
	}
	// Signal 0 checks that the process exists; EPERM means it does (as
	// another user).
	err = syscall.Kill(pid, 0)
	return errors.Is(err, syscall.ESRCH)
}
