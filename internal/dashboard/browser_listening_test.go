package dashboard_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sparkify/sparkify/internal/analytics"
)

// listening is what the listening charts of a view must show: the answers
// of the named queries (proved against the raw files in the contract
// suite) for the view's filter, as the page writes them.
type listening struct {
	sessions   []pair     // day, sessions
	retention  []string   // the heatmap's cell labels: share in percent, one decimal
	churn      [][]string // the churn table: days with a cancellation or level change
	engagement [][]string // the active users table
}

// viewArgs is a view's filter as the named queries take it.
func viewArgs(v view) analytics.Args {
	args := analytics.Args{Level: v.level}
	if v.from != "" {
		args.From, _ = time.Parse(time.DateOnly, v.from)
	}
	if v.to != "" {
		args.To, _ = time.Parse(time.DateOnly, v.to)
	}
	return args
}

func expectListening(t *testing.T, dsn string, v view) listening {
	t.Helper()
	var l listening
	for _, r := range ask(t, dsn, "sessions", viewArgs(v)) {
		l.sessions = append(l.sessions, pair{r[0], r[1]})
	}
	for _, r := range ask(t, dsn, "retention", viewArgs(v)) {
		f, _ := strconv.ParseFloat(r[4], 64)
		l.retention = append(l.retention, strconv.FormatFloat(100*f, 'f', 1, 64))
	}
	l.churn = ask(t, dsn, "churn", viewArgs(v))
	l.engagement = ask(t, dsn, "engagement", viewArgs(v))
	return l
}

func tableRows(t *testing.T, ctx context.Context, id string) [][]string {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("#table-`+id+` tr")).slice(1).map(tr =>
		Array.from(tr.cells).map(td => td.textContent))`))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// checkListening checks the four listening charts against the queries.
func checkListening(t *testing.T, ctx context.Context, l listening) {
	t.Helper()
	checkBars(t, ctx, "sessions", l.sessions, false)

	// Every cell of the heatmap writes its share.
	counts := map[string]int{}
	for _, tx := range drawn(t, ctx, "retention", false).Texts {
		counts[tx.Text]++
	}
	for _, pct := range l.retention {
		if counts[pct] == 0 {
			t.Errorf("retention: no cell shows %s%% (cells: %v)", pct, l.retention)
			break
		}
		counts[pct]--
	}
	if len(l.retention) == 0 {
		t.Error("retention: no cohort to draw")
	}

	if got := tableRows(t, ctx, "churn"); strings.Join(flat(got), "|") != strings.Join(flat(l.churn), "|") {
		t.Errorf("churn table %q, the query says %q", got, l.churn)
	}
	if got := tableRows(t, ctx, "engagement"); strings.Join(flat(got), "|") != strings.Join(flat(l.engagement), "|") {
		t.Errorf("engagement table %q, the query says %q", got, l.engagement)
	}
	var days []string
	for _, r := range l.engagement {
		days = append(days, r[0])
	}
	if got := texts(drawn(t, ctx, "engagement", false).categories(false)); strings.Join(got, ",") != strings.Join(days, ",") {
		t.Errorf("engagement: the axis shows %q, want the days %q", got, days)
	}
	rendered, err := chromedp.Run(ctx, chromedp.Evaluate[int](`["sessions", "retention", "churn", "engagement"].filter(id =>
		document.getElementById("chart-" + id).getAttribute("data-rendered") === "true").length`))
	if err != nil || rendered != 4 {
		t.Errorf("%d of the 4 listening charts rendered (%v)", rendered, err)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}
