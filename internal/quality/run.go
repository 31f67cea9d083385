package quality

import (
	"context"
	"fmt"
	"strconv"

	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// Statuses of a check and of a report.
const (
	StatusPass = "pass"
	StatusWarn = "warn"
	StatusFail = "fail"
)

// Result is one check's outcome.
type Result struct {
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Status   string `json:"status"`
	Observed string `json:"observed"`
	Expected string `json:"expected"`
	Message  string `json:"message,omitempty"`
}

// Report is the outcome of a set of checks: fail when an error-level check
// failed, warn when only warnings did, pass otherwise.
type Report struct {
	Status  string   `json:"status"`
	Passed  int      `json:"passed"`
	Warned  int      `json:"warned"`
	Failed  int      `json:"failed"`
	Results []Result `json:"results"`
}

// Summary is the status with its counts: "pass", "warn 1", "fail 2".
func (r *Report) Summary() string {
	switch r.Status {
	case StatusFail:
		return fmt.Sprintf("fail %d", r.Failed)
	case StatusWarn:
		return fmt.Sprintf("warn %d", r.Warned)
	}
	return r.Status
}

// HasFailures reports whether an error-level check failed.
func (r *Report) HasFailures() bool { return r.Failed > 0 }

// Run runs the checks and reports every outcome. A check whose query
// cannot run fails with the error as its message; Run itself fails only
// when ctx ends.
func Run(ctx context.Context, q warehouse.Querier, checks []Check, s Settings) (*Report, error) {
	rep := &Report{Status: StatusPass, Results: []Result{}}
	for _, c := range checks {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		r := runOne(ctx, q, c, s)
		rep.Results = append(rep.Results, r)
		switch r.Status {
		case StatusPass:
			rep.Passed++
		case StatusWarn:
			rep.Warned++
		default:
			rep.Failed++
		}
	}
	switch {
	case rep.Failed > 0:
		rep.Status = StatusFail
	case rep.Warned > 0:
		rep.Status = StatusWarn
	}
	return rep, nil
}

func runOne(ctx context.Context, q warehouse.Querier, c Check, s Settings) Result {
	r := Result{Name: c.Name, Severity: c.Severity}
	failed := func(msg string) Result {
		r.Status, r.Message = StatusFail, msg
		if c.Severity == SeverityWarn {
			r.Status = StatusWarn
		}
		return r
	}
	got, err := scalar(ctx, q, c.SQL)
	if err != nil {
		r.Status, r.Message = StatusFail, "query failed: "+err.Error()
		return r
	}
	r.Observed = output.Text(got)
	min, max := c.Min, c.Max
	if c.MinSetting != "" {
		if v, ok := s.value(c.MinSetting); ok {
			min = &v
		}
	}
	switch {
	case c.ExpectSQL != "":
		want, err := scalar(ctx, q, c.ExpectSQL)
		if err != nil {
			r.Status, r.Message = StatusFail, "expected-value query failed: "+err.Error()
			return r
		}
		r.Expected = output.Text(want)
		if !equal(got, r.Expected) {
			return failed(fmt.Sprintf("%s is %s, expected %s", c.Description, r.Observed, r.Expected))
		}
	case c.Expect != nil:
		r.Expected = *c.Expect
		if !equal(got, *c.Expect) {
			return failed(fmt.Sprintf("%s: got %s, expected %s", c.Name, r.Observed, r.Expected))
		}
	default:
		r.Expected = bounds(min, max)
		f, ok := number(got)
		if !ok {
			return failed(fmt.Sprintf("%s: %q is not a number", c.Name, r.Observed))
		}
		if (min != nil && f < *min) || (max != nil && f > *max) {
			return failed(fmt.Sprintf("%s: %s is outside %s", c.Name, r.Observed, r.Expected))
		}
	}
	r.Status = StatusPass
	return r
}

func scalar(ctx context.Context, q warehouse.Querier, sql string) (any, error) {
	res, err := warehouse.Query(ctx, q, sql)
	if err != nil {
		return nil, err
	}
	if len(res.Rows) != 1 || len(res.Columns) != 1 {
		return nil, fmt.Errorf("a check query must return one value, got %d rows of %d columns", len(res.Rows), len(res.Columns))
	}
	return res.Rows[0][0], nil
}

func number(v any) (float64, bool) {
	f, err := strconv.ParseFloat(output.Text(v), 64)
	return f, err == nil
}

// equal compares numerically when both sides are numbers, as text otherwise.
func equal(got any, want string) bool {
	if g, ok := number(got); ok {
		if w, err := strconv.ParseFloat(want, 64); err == nil {
			return g == w
		}
	}
	return output.Text(got) == want
}

func bounds(min, max *float64) string {
	f := func(p *float64) string { return strconv.FormatFloat(*p, 'g', -1, 64) }
	switch {
	case min != nil && max != nil:
		return "[" + f(min) + ", " + f(max) + "]"
	case min != nil:
		return ">= " + f(min)
	case max != nil:
		return "<= " + f(max)
	}
	return "any"
}

// Columns are sparkify_checks' columns, in the order of Rows.
var Columns = []string{"load_id", "name", "severity", "status", "observed", "message"}

// Rows are the report's results as sparkify_checks rows of a load.
func (r *Report) Rows(loadID int64) [][]any {
	out := make([][]any, 0, len(r.Results))
	for _, x := range r.Results {
		out = append(out, []any{loadID, x.Name, x.Severity, x.Status, x.Observed, x.Message})
	}
	return out
}
