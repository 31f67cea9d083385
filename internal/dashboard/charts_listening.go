package dashboard

import (
	"sort"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The listening charts: sessions per day, weekly retention, churn and
// active users. Each returns what Charts' add takes.

// Colors of the listening charts.
const (
	colorLine    = "#7a4fb0"
	colorCancel  = "#8c2d2a"
	colorWeekly  = "#2e9d5b"
	colorMonthly = "#9aa5b1"
)

// legendBars is a column chart of several series, named in a legend on
// top, its tooltip showing a whole day.
func legendBars() *charts.Bar {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1}),
	)
	return bar
}

// dec1 is a number with one decimal, as charts and tables write shares and
// means.
func dec1(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// sessionsChart: sessions per day as columns, plays per session as a line
// on a right-hand axis.
func sessionsChart(ds []SessionDay) (Chart, echartsChart, func(map[string]any)) {
	bar := legendBars()
	var days []string
	var sessions []int64
	var perSession []any
	t := Table{Columns: []string{"day", "sessions", "plays per session", "median minutes"}}
	for _, d := range ds {
		days = append(days, d.Day)
		sessions = append(sessions, d.Sessions)
		perSession = append(perSession, dec1(d.PlaysPerSession))
		t.Rows = append(t.Rows, []string{d.Day, strconv.FormatInt(d.Sessions, 10), dec1(d.PlaysPerSession), dec1(d.MedianMinutes)})
	}
	bar.SetXAxis(days)
	bar.AddSeries("sessions", barData(sessions),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPlays}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(ds) <= ValuedDays), Position: "top"}))
	tune := func(opt map[string]any) {
		dayAxis(len(ds), 12)(opt)
		if y, ok := opt["yAxis"].([]any); ok {
			opt["yAxis"] = append(y, map[string]any{"type": "value", "name": "plays per session", "splitLine": map[string]any{"show": false}})
		}
		if s, ok := opt["series"].([]any); ok {
			opt["series"] = append(s, map[string]any{"type": "line", "name": "plays per session", "yAxisIndex": 1,
				"data": perSession, "itemStyle": map[string]any{"color": colorLine}})
		}
		if l, ok := opt["legend"].(map[string]any); ok {
			l["data"] = []string{"sessions", "plays per session"}
		}
	}
	return Chart{ID: "sessions", Title: "Sessions per day",
		Note: "by the day a session starts; the line is plays per session (right axis); the level filter keeps the sessions that ended at that level",
		Wide: true, Table: t}, bar, tune
}

// retentionChart: a heatmap of cohorts (rows, oldest on top) by week
// offset (columns), each cell the share of the cohort active that week in
// percent, written in the cell and coloured by it.
func retentionChart(cells []RetentionCell) (Chart, echartsChart, func(map[string]any)) {
	var cohorts, offsets []string
	row := map[string]int{}
	maxOffset := int64(-1)
	t := Table{Columns: []string{"cohort week", "users", "week offset", "active users", "share %"}}
	var data []opts.HeatMapData
	for _, c := range cells {
		if _, ok := row[c.Cohort]; !ok {
			row[c.Cohort] = len(cohorts)
			cohorts = append(cohorts, c.Cohort+" ("+strconv.FormatInt(c.Users, 10)+")")
		}
		maxOffset = max(maxOffset, c.Offset)
		pct := dec1(100 * c.Share)
		data = append(data, opts.HeatMapData{Value: []any{c.Offset, row[c.Cohort], pct}})
		t.Rows = append(t.Rows, []string{c.Cohort, strconv.FormatInt(c.Users, 10), strconv.FormatInt(c.Offset, 10),
			strconv.FormatInt(c.Active, 10), pct})
	}
	for o := int64(0); o <= maxOffset; o++ {
		offsets = append(offsets, "week "+strconv.FormatInt(o, 10))
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: offsets}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cohorts, Inverse: opts.Bool(true)}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(false), Min: 0, Max: 100, Show: opts.Bool(false),
			InRange: &opts.VisualMapInRange{Color: []string{"#eef3fb", colorPlays}}}),
	)
	hm.SetXAxis(offsets)
	hm.AddSeries("share of the cohort active, %", data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	tune := func(opt map[string]any) {
		everyLabel("xAxis")(opt)
		everyLabel("yAxis")(opt)
	}
	return Chart{ID: "retention", Title: "Weekly retention (% of each cohort active)",
		Note: "cohorts (rows, with their users) by the ISO week of a user's first play, columns weeks since; no filter applies",
		Wide: true, Rows: len(cohorts), Table: t}, hm, tune
}

// churnChart: per day with plays (or churn), users who cancelled split by
// their level then, and the downgrades and upgrades submitted.
func churnChart(cs []ChurnDay, days []Count) (Chart, echartsChart, func(map[string]any)) {
	byDay := map[string]ChurnDay{}
	for _, c := range cs {
		byDay[c.Day] = c
	}
	var axis []string
	seen := map[string]bool{}
	for _, d := range days {
		axis, seen[d.Label] = append(axis, d.Label), true
	}
	for _, c := range cs {
		if !seen[c.Day] {
			axis = append(axis, c.Day)
		}
	}
	sort.Strings(axis)
	item := func(v int64) opts.BarData {
		return opts.BarData{Value: v, Label: &opts.Label{Show: opts.Bool(v > 0), Position: "top"}}
	}
	var paid, free, down, up []opts.BarData
	t := Table{Columns: []string{"day", "cancellations", "paid", "free", "downgrades", "upgrades"}}
	for _, d := range axis {
		c := byDay[d]
		paid, free = append(paid, item(c.Paid)), append(free, item(c.Free))
		down, up = append(down, item(c.Downgrades)), append(up, item(c.Upgrades))
		if c.Cancellations+c.Downgrades+c.Upgrades > 0 {
			t.Rows = append(t.Rows, []string{d, strconv.FormatInt(c.Cancellations, 10), strconv.FormatInt(c.Paid, 10),
				strconv.FormatInt(c.Free, 10), strconv.FormatInt(c.Downgrades, 10), strconv.FormatInt(c.Upgrades, 10)})
		}
	}
	bar := legendBars()
	bar.SetXAxis(axis)
	bar.AddSeries("cancelled (paid)", paid, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorCancel}))
	bar.AddSeries("cancelled (free)", free, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorFree}))
	bar.AddSeries("downgrades", down, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorDown}))
	bar.AddSeries("upgrades", up, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorUp}))
	return Chart{ID: "churn", Title: "Cancellations and level changes per day",
		Note: "cancellations by the level at cancellation, and Submit Downgrade/Upgrade events; the level filter does not apply",
		Wide: true, Table: t}, bar, dayAxis(len(axis), 6)
}

// engagementChart: daily, weekly and monthly active users per day.
func engagementChart(as []ActiveDay) (Chart, echartsChart, func(map[string]any)) {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1}),
	)
	var days []string
	var daily, weekly, monthly []opts.LineData
	t := Table{Columns: []string{"day", "daily", "weekly (7 days)", "monthly (30 days)"}}
	for _, a := range as {
		days = append(days, a.Day)
		daily = append(daily, opts.LineData{Value: a.Daily})
		weekly = append(weekly, opts.LineData{Value: a.Weekly})
		monthly = append(monthly, opts.LineData{Value: a.Monthly})
		t.Rows = append(t.Rows, []string{a.Day, strconv.FormatInt(a.Daily, 10), strconv.FormatInt(a.Weekly, 10), strconv.FormatInt(a.Monthly, 10)})
	}
	line.SetXAxis(days)
	line.AddSeries("daily", daily, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPlays}))
	line.AddSeries("weekly", weekly, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorWeekly}))
	line.AddSeries("monthly", monthly, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorMonthly}))
	return Chart{ID: "engagement", Title: "Active users per day",
		Note: "users who played that day, and in the 7 and 30 days up to it; the level filter does not apply",
		Wide: true, Table: t}, line, dayAxis(len(days), 12)
}
