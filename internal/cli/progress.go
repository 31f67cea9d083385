package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sparkify/sparkify/internal/pipeline"
)

// termProgress draws one status line on a terminal's stderr, redrawn at
// most ten times a second by its own goroutine, so readers only bump
// counters and never wait on the terminal.
type termProgress struct {
	w     io.Writer
	mu    sync.Mutex
	step  string
	files int
	bytes int64
	start time.Time

	doneFiles atomic.Int64
	doneBytes atomic.Int64
	stop      chan struct{}
	wg        sync.WaitGroup
}

var _ pipeline.Progress = (*termProgress)(nil)

func newTermProgress(w io.Writer) *termProgress {
	p := &termProgress{w: w, stop: make(chan struct{}), start: time.Now()}
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *termProgress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw()
		}
	}
}

func (p *termProgress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.step == "" {
		return
	}
	line := fmt.Sprintf("%s  %.1fs", p.step, time.Since(p.start).Seconds())
	if p.files > 0 {
		line = fmt.Sprintf("%-20s %d/%d files  %s/%s  %.1fs", p.step, p.doneFiles.Load(), p.files,
			humanBytes(p.doneBytes.Load()), humanBytes(p.bytes), time.Since(p.start).Seconds())
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

func (p *termProgress) Begin(step string, files int, bytes int64) {
	p.mu.Lock()
	p.step, p.files, p.bytes = step, files, bytes
	p.mu.Unlock()
	p.doneFiles.Store(0)
	p.doneBytes.Store(0)
}

func (p *termProgress) FileDone(bytes int64) {
	p.doneFiles.Add(1)
	p.doneBytes.Add(bytes)
}

func (p *termProgress) Step(name string) { p.Begin(name, 0, 0) }

func (p *termProgress) End() {
	close(p.stop)
	p.wg.Wait()
	fmt.Fprint(p.w, "\r\033[K")
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// plural formats a count with its noun.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
