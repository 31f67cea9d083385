package watch

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sparkify/sparkify/internal/escape"
	"github.com/sparkify/sparkify/internal/pipeline"
)

// eventLog writes a watch's events: one text line each to w, or one
// structured record each to logger when it is set.
type eventLog struct {
	w      io.Writer
	logger *slog.Logger
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (l *eventLog) stopped(now time.Time) {
	if l.logger != nil {
		l.record(now, slog.LevelInfo, "stopped")
		return
	}
	fmt.Fprintf(l.w, "%s stopped\n", stamp(now))
}

func (l *eventLog) retry(now time.Time, attempt int, wait time.Duration, err error) {
	if l.logger != nil {
		l.record(now, slog.LevelWarn, "load failed", slog.Int("attempt", attempt),
			slog.Float64("retry_in_seconds", wait.Seconds()), slog.String("error", err.Error()))
		return
	}
	fmt.Fprintf(l.w, "%s load failed (attempt %d, retrying in %s): %s\n", stamp(now), attempt, wait, escape.Line(err.Error()))
}

func (l *eventLog) failed(now time.Time, err error) {
	if l.logger != nil {
		l.record(now, slog.LevelError, "load failed", slog.String("error", err.Error()))
		return
	}
	fmt.Fprintf(l.w, "%s load failed: %s\n", stamp(now), escape.Line(err.Error()))
}

// result writes one event for a load that did something.
func (l *eventLog) result(now time.Time, res *pipeline.Result) {
	if res == nil || res.Status == pipeline.StatusNoop {
		return
	}
	read, loaded, rejected := res.Lines()
	if l.logger != nil {
		attrs := []slog.Attr{slog.Int64("load_id", res.LoadID), slog.String("status", res.Status),
			slog.Int("files", res.FilesLoaded()), slog.Int64("lines_read", read), slog.Int64("lines_loaded", loaded),
			slog.Int64("lines_rejected", rejected), slog.Float64("duration_seconds", float64(res.DurationMS)/1000)}
		if t := res.Table("songplays"); t != nil {
			attrs = append(attrs, slog.Int64("songplays_delta", t.Delta))
		}
		if c, ok := res.Checks.(interface{ Summary() string }); ok {
			attrs = append(attrs, slog.String("checks", c.Summary()))
		}
		l.record(now, slog.LevelInfo, "load", attrs...)
		return
	}
	line := fmt.Sprintf("%s load %d %s: %d files, %d lines (%d rejected)", stamp(now), res.LoadID, res.Status,
		res.FilesLoaded(), read, rejected)
	if t := res.Table("songplays"); t != nil {
		line += fmt.Sprintf(", songplays %+d", t.Delta)
	}
	line += fmt.Sprintf(", %.2fs", float64(res.DurationMS)/1000)
	if c, ok := res.Checks.(interface{ Summary() string }); ok {
		line += ", checks " + c.Summary()
	}
	fmt.Fprintln(l.w, line)
}

// record logs at the watch's clock rather than the wall clock, so records
// and text lines carry the same times.
func (l *eventLog) record(now time.Time, level slog.Level, msg string, attrs ...slog.Attr) {
	r := slog.NewRecord(now, level, msg, 0)
	r.AddAttrs(attrs...)
	l.logger.Handler().Handle(context.Background(), r)
}
