package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"syscall"
	"time"
)

// sample is one timed run of a child process.
type sample struct {
	wall   time.Duration
	rssKiB int64 // peak resident set size of the child
}

// timed runs a command and measures its wall time and peak RSS.
func timed(env []string, name string, args ...string) (sample, error) {
	return timedTo(nil, env, name, args...)
}

// timedTo is timed with the command's stdout going to w.
func timedTo(w io.Writer, env []string, name string, args ...string) (sample, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdout = w
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && cmd.ProcessState != nil {
		s.rssKiB = ru.Maxrss
	}
	if err != nil {
		return s, fmt.Errorf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return s, nil
}

func median[T int64 | float64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
