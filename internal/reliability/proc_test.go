package reliability

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the sparkify binary built for this package's tests.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	if dataDir != "" {
		os.RemoveAll(dataDir)
	}
	for _, d := range genDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// sparkifyBin builds ./cmd/sparkify once (go build -o $TMP/sparkify) and
// returns its path. The folder is world-readable, so tests may run it as
// another user.
func sparkifyBin(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "sparkify-reliability-bin-")
		if binErr != nil {
			return
		}
		os.Chmod(binDir, 0o755)
		binPath = filepath.Join(binDir, "sparkify")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/sparkify")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// proc is a running sparkify.
type proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    syncBuffer // stdout
	mu     sync.Mutex
	errb   bytes.Buffer // stderr so far
	lines  chan string  // stderr, line by line
	done   chan struct{}
	code   int
	signal syscall.Signal
}

// syncBuffer is a bytes.Buffer that may be read while the process writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// childEnv is the environment of a child: nothing of the test's own
// SPARKIFY_*/PG* settings, a private HOME and TMPDIR, plus extra.
func childEnv(t testing.TB, extra ...string) []string {
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + home, "LANG=C.UTF-8"}
	return append(env, extra...)
}

// start runs sparkify args with env (see childEnv); wrap, if not nil, is a
// command line put before the binary (setpriv, sh -c, ...).
func start(t testing.TB, env []string, wrap []string, args ...string) *proc {
	t.Helper()
	argv := append(append(append([]string{}, wrap...), sparkifyBin(t)), args...)
	p := &proc{t: t, cmd: exec.Command(argv[0], argv[1:]...), lines: make(chan string, 1024), done: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stdout = &p.out
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.errb.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stderr)
		err := p.cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			p.code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				p.signal = ws.Signal()
			}
		} else if err != nil {
			p.code = -1
		}
		close(p.lines)
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// stderr is what the process wrote to stderr so far.
func (p *proc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.errb.String()
}

// waitFor waits for a stderr line containing s; it fails the test if the
// process ends or timeout passes first.
func (p *proc) waitFor(s string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				p.t.Fatalf("sparkify ended (exit %d) before printing %q:\n%s", p.code, s, p.stderr())
			}
			if strings.Contains(line, s) {
				return
			}
		case <-deadline:
			p.t.Fatalf("no %q from sparkify within %s:\n%s", s, timeout, p.stderr())
		}
	}
}

// waitOut waits until stdout matches re and returns the match; it fails
// the test if the process ends or timeout passes first.
func (p *proc) waitOut(re *regexp.Regexp, timeout time.Duration) []string {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if m := re.FindStringSubmatch(p.out.String()); m != nil {
			return m
		}
		if !p.running() {
			if m := re.FindStringSubmatch(p.out.String()); m != nil {
				return m
			}
			p.t.Fatalf("sparkify ended (exit %d) before printing %s on stdout:\n%s%s", p.code, re, p.out.String(), p.stderr())
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no %s on sparkify's stdout within %s:\n%s%s", re, timeout, p.out.String(), p.stderr())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// terminate sends SIGTERM (what Ctrl-C or a service manager sends) and
// waits up to timeout for the process to end; it returns the exit code.
func (p *proc) terminate(timeout time.Duration) int {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	return p.wait(timeout)
}

// resume lets a paused process go on.
func (p *proc) resume() { p.stdin.Write([]byte("\n")) }

// kill sends SIGKILL and waits for the process to end.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// wait waits for the process to end and returns its exit code.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(timeout):
		p.kill()
		p.t.Fatalf("sparkify did not finish within %s:\n%s", timeout, p.stderr())
		return -1
	}
}

// running reports whether the process is still running.
func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// run runs sparkify to the end and returns stdout, stderr and exit code.
func run(t testing.TB, env []string, args ...string) (string, string, int) {
	t.Helper()
	p := start(t, env, nil, args...)
	p.stdin.Close()
	code := p.wait(3 * time.Minute)
	return p.out.String(), p.stderr(), code
}

// mustRun runs sparkify and fails the test unless it exits 0.
func mustRun(t testing.TB, env []string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, env, args...)
	if code != 0 {
		t.Fatalf("sparkify %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}
