package reliability

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/escape"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source/local"
)

// nameCases are files whose names are bytes that are not UTF-8, or hold a
// backslash or control characters: each loads or is rejected like any
// other file, is recorded under escape.Name's form, and does not block the
// others.
func nameCases() []hcase {
	good := jsonl(play("1", 1).line(), play("1", 2).line())
	// Latin-1 "café" (0xe9) and a lone 0xff are not UTF-8; a backslash
	// and an ESC are valid UTF-8, the backslash is escaped to stay lossless.
	latin1, ff := "caf\xe9-events.json", "\xff.json"
	slash, esc := `back\slash.json`, "esc\x1b[31m.json"
	return []hcase{{
		name: "file names that are not UTF-8",
		files: []hfile{
			logf(latin1, good),
			logf("sub\xfe/"+ff, jsonl(play("2", 1).line(), "{not json", play("2", 3).line())),
			logf(slash, jsonl(play("3", 1).line())),
			logf(esc, jsonl(play("4", 1).line())),
			logf("plain.json", jsonl(play("5", 1).line())),
			songf("A/s\xe9.json", song(1).line()),
		},
		songs: 1, logs: 7,
		rejects: []wantReject{rjLog(`sub\xfe/\xff.json`, 2, "invalid JSON")},
		check: func(t *testing.T, r *caseRun) {
			dirs := [2]string{r.songs, r.logs}
			// Every file is recorded, under the escaped form of its real path.
			want := map[string]bool{}
			for _, p := range []string{filepath.Join(dirs[1], latin1), filepath.Join(dirs[1], "sub\xfe", ff),
				filepath.Join(dirs[1], slash), filepath.Join(dirs[1], esc), filepath.Join(dirs[1], "plain.json"),
				filepath.Join(dirs[0], "A", "s\xe9.json")} {
				want[escape.Name(p)] = true
			}
			got := queryStrings(t, r.wh.DB(), "SELECT uri FROM sparkify_files ORDER BY uri")
			for _, uri := range got {
				if !want[uri] {
					t.Errorf("sparkify_files has %q, not the escaped name of a file", uri)
				}
				delete(want, uri)
				// The recorded form decodes back to a name that opens.
				p, err := escape.Unname(uri)
				if err != nil {
					t.Errorf("recorded uri %q does not decode: %v", uri, err)
				} else if _, err := os.Stat(p); err != nil {
					t.Errorf("recorded uri %q decodes to a name that does not open: %v", uri, err)
				}
			}
			if len(want) > 0 {
				t.Errorf("files not recorded: %q", keys(want))
			}
			for _, uri := range got {
				if strings.Contains(uri, `\xe9`) && strings.Contains(uri, "caf") {
					wantRows(t, r, "SELECT COUNT(*) FROM staging_events e JOIN sparkify_files f ON f.file_id = e.file_id WHERE f.uri = '"+
						strings.ReplaceAll(uri, "'", "''")+"'", "2")
				}
			}
			// The run's own output names the sources the same way.
			if s := r.res.Source(pipeline.KindLog); s == nil || s.URI != escape.Name(dirs[1]) {
				t.Errorf("log source in the result: %+v, want uri %q", s, escape.Name(dirs[1]))
			}
			// A second load finds every file known: nothing is loaded twice.
			ss, err := local.New(dirs[0])
			must(t, err)
			ls, err := local.New(dirs[1])
			must(t, err)
			res, err := pipeline.Run(context.Background(), r.wh, pipeline.Options{Songs: ss, Logs: ls, Workers: 2})
			if err != nil || res.Status != pipeline.StatusNoop {
				t.Errorf("rerun: status %v, err %v; want noop", res, err)
			}
		},
	}}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
