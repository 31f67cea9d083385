package export

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// A local export stages into DIR.tmp-XXXX and writes a marker file inside
// it, DIR.tmp-XXXX/.sparkify-export-staging: a magic first line, then the
// process id, the host name and the process's start time. An export
// killed before it could clean up leaves the folder with its marker; the
// next export to DIR deletes such a folder only when the marker is ours
// (magic line), names this host, and its process is gone (or the pid now
// belongs to a process that started at another time). A folder without a
// valid marker is never deleted, whatever its name or age; neither is one
// of a running export or of another host.

// stagingMarker is the marker file's name inside a staging folder.
const stagingMarker = ".sparkify-export-staging"

// markerMagic is the marker's first line.
const markerMagic = "sparkify export staging folder, deleted by the next export once its process is gone"

// owner is the process a marker names.
type owner struct {
	pid   int
	host  string
	start string // process start time (clock ticks since boot), "" if unknown
}

// self is this process as a marker names it.
func self() owner {
	host, _ := os.Hostname()
	return owner{pid: os.Getpid(), host: host, start: processStart(os.Getpid())}
}

// markStaged writes the marker that makes staged recognisable as this
// process's staging folder.
func markStaged(staged string) error {
	me := self()
	text := fmt.Sprintf("%s\npid %d\nhost %s\nstart %s\n", markerMagic, me.pid, me.host, me.start)
	if err := os.WriteFile(filepath.Join(staged, stagingMarker), []byte(text), 0o666); err != nil {
		return fmt.Errorf("mark the staging folder %s: %w", staged, err)
	}
	return nil
}

// unmarkStaged removes the marker, before the folder is published.
func unmarkStaged(staged string) error {
	if err := os.Remove(filepath.Join(staged, stagingMarker)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the staging marker of %s: %w", staged, err)
	}
	return nil
}

// readMarker reads the owner a staging folder's marker names; ok is false
// when the folder has no valid marker (a regular file with the magic line).
func readMarker(staged string) (owner, bool) {
	p := filepath.Join(staged, stagingMarker)
	if info, err := os.Lstat(p); err != nil || !info.Mode().IsRegular() || info.Size() > 4096 {
		return owner{}, false
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return owner{}, false
	}
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	if !sc.Scan() || sc.Text() != markerMagic {
		return owner{}, false
	}
	var o owner
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), " ")
		switch key {
		case "pid":
			o.pid, _ = strconv.Atoi(val)
		case "host":
			o.host = val
		case "start":
			o.start = val
		}
	}
	return o, o.pid > 0 && o.host != ""
}

// removeLeftovers deletes the staging folders of dead exports to dir,
// and returns the ones it deleted.
func removeLeftovers(dir string) []string {
	parent, prefix := filepath.Dir(dir), filepath.Base(dir)+".tmp-"
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	me := self()
	var removed []string
	for _, e := range entries {
		name := e.Name()
		// e.IsDir is false for a symlink: a link is never followed.
		if !e.IsDir() || !strings.HasPrefix(name, prefix) {
			continue
		}
		staged := filepath.Join(parent, name)
		o, ok := readMarker(staged)
		if !ok || !o.gone(me) {
			continue
		}
		if err := os.RemoveAll(staged); err == nil {
			removed = append(removed, staged)
		}
	}
	return removed
}

// gone reports whether the process a marker names has certainly ended:
// it ran on this host and no process has its pid, or the process with
// its pid started at another time (the pid was reused).
func (o owner) gone(me owner) bool {
	if o.host != me.host || o.pid == me.pid && o.start == me.start {
		return false
	}
	// Signal 0 checks that the process exists; EPERM means it does (as
	// another user).
	if err := syscall.Kill(o.pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	now := processStart(o.pid)
	return o.start != "" && now != "" && now != o.start
}

// processStart is a process's start time in clock ticks since boot
// (field 22 of /proc/PID/stat), or "" where that is not known.
func processStart(pid int) string {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 {
		return ""
	}
	return fields[19] // field 22: fields[0] is field 3
}
