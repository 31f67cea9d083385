package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
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
//
// The command runs under a fresh copy of this program (see measured): on
// Linux a child's peak RSS starts at its parent's when it execs (the
// kernel carries the old address space's high-water mark over), and this
// process grows large while it verifies the tables, so measuring its
// children directly would report its own peak for them.
func timedTo(w io.Writer, env []string, name string, args ...string) (sample, error) {
	self, err := os.Executable()
	if err != nil {
		return sample{}, err
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		return sample{}, err
	}
	defer rd.Close()
	cmd := exec.Command(self, append([]string{measuredArg, name}, args...)...)
	cmd.Stdout = w
	cmd.Env = append(os.Environ(), env...)
	cmd.ExtraFiles = []*os.File{wr}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	s := sample{wall: time.Since(start)}
	wr.Close()
	if b, rerr := io.ReadAll(rd); rerr == nil {
		s.rssKiB, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	}
	if err != nil {
		return s, fmt.Errorf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return s, nil
}

// measuredArg makes this program run the rest of its arguments as a
// command and write the command's peak RSS in KiB to file descriptor 3.
const measuredArg = "measured"

// measured is the small parent timedTo runs a command under; it exits with
// the command's exit code.
func measured(args []string) int {
	out := os.NewFile(3, "rss")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			fmt.Fprintln(out, ru.Maxrss)
		}
		return cmd.ProcessState.ExitCode()
	}
	fmt.Fprintln(os.Stderr, err)
	return 1
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
