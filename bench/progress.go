package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// caseProgress is the DuckDB cold load again, on a terminal (a pseudo-
// terminal from script(1)), drawing its progress line as users see it.
const caseProgress = "sparkify etl, cold, progress on a terminal"

// progressRun times a cold load with progress drawn; ran is false when
// there is no script(1) to give it a terminal. The load must have drawn
// progress: the output is checked for the line's redraws.
func progressRun(o *options, d *dataset, r *results, work string, rep int) (s sample, ran bool, err error) {
	if _, err := exec.LookPath("script"); err != nil {
		fmt.Println("  (no script(1) to give the load a terminal: progress not measured)")
		return s, false, nil
	}
	t, err := newTarget(o, work, "duckdb", fmt.Sprintf("progress_%d", rep))
	if err != nil {
		return s, false, err
	}
	defer t.drop()
	cmd := shellQuote(append([]string{o.bin}, etlArgs(d, t.dsn, true)...)...)
	var out bytes.Buffer
	if s, err = timedTo(&out, nil, "script", "-qefc", cmd, "/dev/null"); err != nil {
		return s, false, err
	}
	if n := bytes.Count(out.Bytes(), []byte("\r\033[K")); n < 2 {
		return s, false, fmt.Errorf("the load on a terminal drew no progress (%d redraws); output:\n%s", n, out.String())
	}
	r.add("duckdb", caseProgress, s)
	return s, true, nil
}

// shellQuote joins words for sh -c, each in single quotes.
func shellQuote(words ...string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
