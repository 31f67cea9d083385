package dashboard_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/dashboard"
	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/quality"
	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/duckdb"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// checkHook runs checks at the end of a load and stores their results in
// sparkify_checks inside its transaction, as sparkify etl does
// (internal/cli/check_hook.go); report gets the report.
func checkHook(checks []quality.Check, report **quality.Report) pipeline.CheckFunc {
	return func(ctx context.Context, sess warehouse.Session, loadID int64) (any, bool, error) {
		rep, err := quality.Run(ctx, sess.Conn(), checks, quality.Settings{})
		if err != nil {
			return nil, false, err
		}
		*report = rep
		if _, err := sess.CopyFrom(ctx, "sparkify_checks", quality.Columns, &warehouse.SliceSource{Rows: rep.Rows(loadID)}); err != nil {
			return rep, false, err
		}
		return rep, rep.HasFailures(), nil
	}
}

func ptr[T any](v T) *T { return &v }

// TestDashboardRunsShowTheirChecks loads one day of the sample at a time:
// without checks, with checks that pass, with a failing warning, with a
// failing error check, and with checks that cannot run (a failed load).
// The runs list shows each, newest first, as sparkify_runs and the check
// reports have them.
func TestDashboardRunsShowTheirChecks(t *testing.T) {
	data := warehousetest.CopySample(t, 1)
	dsn := "duckdb:" + filepath.Join(t.TempDir(), "runs.duckdb")
	wh, err := duckdb.Open(context.Background(), dsn, warehouse.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	enough := quality.Check{Name: "some_plays", Severity: quality.SeverityError, SQL: "SELECT COUNT(*) FROM songplays", Min: ptr(1.0)}
	manyUsers := quality.Check{Name: "a_million_users", Severity: quality.SeverityWarn, SQL: "SELECT COUNT(*) FROM users", Min: ptr(1e6)}
	noPlays := quality.Check{Name: "no_plays_at_all", Severity: quality.SeverityError, SQL: "SELECT COUNT(*) FROM songplays", Expect: ptr("0")}
	var reports [3]*quality.Report
	steps := []struct {
		check   pipeline.CheckFunc
		checks  string // what the runs list must show
		failure error  // what the load must return
	}{
		{nil, "not run", nil},
		{checkHook([]quality.Check{enough}, &reports[0]), quality.StatusPass, nil},
		{checkHook([]quality.Check{enough, manyUsers}, &reports[1]), quality.StatusWarn, nil},
		{checkHook([]quality.Check{enough, manyUsers, noPlays}, &reports[2]), quality.StatusFail, pipeline.ErrChecksFailed},
		{func(context.Context, warehouse.Session, int64) (any, bool, error) {
			return nil, false, errors.New("checks file <unreadable>")
		}, "not run", errors.New("checks file <unreadable>")},
	}
	for i, s := range steps {
		if i > 0 {
			warehousetest.AddSampleDay(t, data, i+1)
		}
		_, err := warehousetest.TryLoad(t, wh, data, func(o *pipeline.Options) { o.Check = s.check })
		switch {
		case s.failure == nil && err != nil:
			t.Fatalf("load %d: %v", i+1, err)
		case s.failure != nil && (err == nil || !errors.Is(err, s.failure) && !strings.Contains(err.Error(), s.failure.Error())):
			t.Fatalf("load %d: %v, want %v", i+1, err, s.failure)
		}
	}
	for i, want := range []string{quality.StatusPass, quality.StatusWarn, quality.StatusFail} {
		if reports[i] == nil || reports[i].Status != want {
			t.Fatalf("check report %d: %+v, want %s", i, reports[i], want)
		}
	}
	// What the warehouse holds, asked directly.
	type stored struct{ id, status, mode, files, loaded, rejected, failedChecks, error string }
	var runs []stored
	rows, err := wh.DB().Query(`SELECT r.load_id, r.status, r.mode, r.files_loaded, r.lines_loaded, r.lines_rejected,
		       (SELECT COUNT(*) FROM sparkify_checks c WHERE c.load_id = r.load_id AND c.status <> 'pass'), COALESCE(r.error, '')
		FROM sparkify_runs r ORDER BY r.load_id DESC`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v [8]any
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, stored{output.Text(v[0]), output.Text(v[1]), output.Text(v[2]), output.Text(v[3]), output.Text(v[4]), output.Text(v[5]), output.Text(v[6]), output.Text(v[7])})
	}
	rows.Close()
	wh.Close()
	if len(runs) != len(steps) {
		t.Fatalf("sparkify_runs holds %d runs: %+v", len(runs), runs)
	}

	srv := httptest.NewServer(dashboard.New(dashboard.Options{Open: readOnly(dsn)}))
	defer srv.Close()
	got := apiData(t, srv, "?level=paid&from=2018-11-02") // filters do not apply to runs
	if len(got.Runs) != len(steps) {
		t.Fatalf("%d runs shown, the warehouse holds %d", len(got.Runs), len(steps))
	}
	_, page := get(t, srv.URL+"/")
	for i, r := range got.Runs {
		w, step := runs[i], steps[len(steps)-1-i]
		if g := fmt.Sprintf("%d %s %s %d %d %d", r.LoadID, r.Status, r.Mode, r.Files, r.Loaded, r.Rejected); g != strings.Join([]string{w.id, w.status, w.mode, w.files, w.loaded, w.rejected}, " ") {
			t.Errorf("run %d: %s, sparkify_runs says %+v", i, g, w)
		}
		if r.Checks != step.checks {
			t.Errorf("run %s: checks %q, want %q", w.id, r.Checks, step.checks)
		}
		wantErr, _, _ := strings.Cut(w.error, "\n")
		if r.Error != wantErr || (r.Status == "failed") != (r.Error != "") {
			t.Errorf("run %s: error %q, sparkify_runs says %q", w.id, r.Error, w.error)
		}
		class := "checks-" + strings.ReplaceAll(step.checks, " ", "-")
		cell := fmt.Sprintf(`<td class="%s">%s`, class, step.checks)
		if !strings.Contains(page, cell) {
			t.Errorf("run %s: the page lacks %s", w.id, cell)
		}
		if step.checks == "not run" {
			if r.ChecksDetail != "" {
				t.Errorf("run %s: a report without checks: %s", w.id, r.ChecksDetail)
			}
			continue
		}
		// The detail is the stored report: every check with its status,
		// and as many failures as sparkify_checks holds.
		rep := reports[len(steps)-2-i]
		for _, res := range rep.Results {
			if !strings.Contains(r.ChecksDetail, fmt.Sprintf("%q", res.Name)) || !strings.Contains(r.ChecksDetail, fmt.Sprintf(`"status": %q`, res.Status)) {
				t.Errorf("run %s: the report lacks %s (%s): %s", w.id, res.Name, res.Status, r.ChecksDetail)
			}
		}
		if n := fmt.Sprint(rep.Failed + rep.Warned); n != w.failedChecks {
			t.Errorf("run %s: %s checks did not pass, sparkify_checks holds %s", w.id, n, w.failedChecks)
		}
		if !strings.Contains(page, cell+"<details><summary>report</summary><pre>") {
			t.Errorf("run %s: the page lacks the report", w.id)
		}
	}
	if strings.Contains(page, "<unreadable>") {
		t.Error("the page holds the error unescaped")
	}
	if !strings.Contains(page, "checks file &lt;unreadable&gt;") {
		t.Error("the page lacks the failed run's error")
	}
}
