package dashboard

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart is one chart of the page: where it goes, what it says and its
// echarts option.
type Chart struct {
	ID    string
	Title string
	Note  string
	Wide  bool // takes a whole row
	Rows  int  // categories of a ranking, for its height
	// Option is the echarts option as JSON. It is built with go-echarts'
	// typed options but never rendered by go-echarts' templates: those put
	// the option into an inline script unescaped, and treat strings
	// holding "__f__" as JavaScript. Here it is json.Marshal output (so
	// '<', '>' and '&' are \u escapes and no value can end a script
	// element), placed in a non-executed application/json block and read
	// with JSON.parse: a value from the data is only ever data.
	Option template.JS
	Table  Table // the same numbers as text, under the chart
}

// Table is a chart's data as rows of text.
type Table struct {
	Columns []string
	Rows    [][]string
}

// Colors of the charts.
const (
	colorPlays = "#3b6fb6"
	colorFree  = "#9aa5b1"
	colorPaid  = "#e07b39"
	colorUp    = "#2e9d5b"
	colorDown  = "#c8423b"
)

// Charts turns the data into the page's charts, in page order.
func Charts(d *Data) ([]Chart, error) {
	var out []Chart
	add := func(c Chart, bc echartsChart, tune func(map[string]any)) error {
		opt, err := optionJSON(bc, tune)
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.ID, err)
		}
		c.Option = opt
		out = append(out, c)
		return nil
	}
	steps := []func() error{
		func() error {
			return add(Chart{ID: "plays-per-day", Title: "Plays per day", Wide: true, Table: countTable("day", d.PlaysPerDay)},
				columns(d.PlaysPerDay, len(d.PlaysPerDay) <= ValuedDays), dayAxis(len(d.PlaysPerDay), 12))
		},
		func() error {
			return add(Chart{ID: "plays-by-hour", Title: "Plays by hour of day (UTC)", Table: countTable("hour", d.PlaysByHour)},
				columns(d.PlaysByHour, true), everyLabel("xAxis"))
		},
		func() error {
			return add(Chart{ID: "plays-by-weekday", Title: "Plays by weekday", Table: countTable("weekday", d.PlaysByWeekday)},
				columns(d.PlaysByWeekday, true), everyLabel("xAxis"))
		},
		func() error {
			return add(Chart{ID: "levels", Title: "Free vs paid share of plays", Table: countTable("level", d.Levels)},
				pie(d.Levels, map[string]string{"free": colorFree, "paid": colorPaid}), nil)
		},
		func() error {
			return add(Chart{ID: "conversions", Title: "Upgrades and downgrades per day", Note: "from the users' level history; the level filter does not apply",
				Table: conversionTable(d.Conversions)}, conversionBars(d.Conversions), dayAxis(len(d.Conversions), 6))
		},
		func() error { return add(sessionsChart(d.Sessions)) },
		func() error { return add(engagementChart(d.Engagement)) },
		func() error { return add(churnChart(d.Churn, d.PlaysPerDay)) },
		func() error { return add(retentionChart(d.Retention)) },
		func() error {
			return add(ranking("top-songs", "Top songs (catalog)", "plays credited to a song of the catalog", songLabels(d.TopSongs), songPlays(d.TopSongs), songTable(d.TopSongs)))
		},
		func() error {
			return add(ranking("top-artists", "Top artists (catalog)", "plays credited to an artist of the catalog", labels(d.TopArtists), plays(d.TopArtists), countTable("artist", d.TopArtists)))
		},
		func() error {
			return add(ranking("top-played", "Top songs (as played)", "by the song and artist names in the events, catalog or not", songLabels(d.TopPlayed), songPlays(d.TopPlayed), songTable(d.TopPlayed)))
		},
		func() error {
			return add(ranking("top-played-artists", "Top artists (as played)", "by the artist names in the events", labels(d.TopPlayedArtists), plays(d.TopPlayedArtists), countTable("artist", d.TopPlayedArtists)))
		},
		func() error {
			return add(ranking("top-locations", "Top locations", "where the listeners were", labels(d.Locations), plays(d.Locations), countTable("location", d.Locations)))
		},
		func() error {
			return add(Chart{ID: "browsers", Title: "Browsers", Note: "parsed from the user agents", Table: countTable("browser", d.Browsers)}, pie(d.Browsers, nil), nil)
		},
		func() error {
			return add(Chart{ID: "systems", Title: "Operating systems", Note: "parsed from the user agents", Table: countTable("system", d.Systems)}, pie(d.Systems, nil), nil)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SongLabel is a song's label on a ranking: its title and artist.
func SongLabel(title, artist string) string { return title + " · " + artist }

// echartsChart is what go-echarts' charts have in common here.
type echartsChart interface {
	Validate()
	JSON() map[string]interface{}
}

// optionJSON validates a go-echarts chart, takes its option, adjusts what
// go-echarts has no field for, and marshals it with HTML escaping.
func optionJSON(c echartsChart, tune func(map[string]any)) (template.JS, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return "", err
	}
	var opt map[string]any
	if err := json.Unmarshal(raw, &opt); err != nil {
		return "", err
	}
	opt["animation"] = false
	opt["grid"] = map[string]any{"left": 8, "right": 48, "top": 32, "bottom": 8, "containLabel": true}
	if series, ok := opt["series"].([]any); ok {
		for _, s := range series {
			if s, ok := s.(map[string]any); ok && s["type"] == "bar" {
				s["barMaxWidth"] = 28
			}
		}
	}
	if tune != nil {
		tune(opt)
	}
	out, err := json.Marshal(opt) // escapes <, >, &, U+2028 and U+2029
	if err != nil {
		return "", err
	}
	return template.JS(out), nil
}

// everyLabel makes a category axis show every label.
func everyLabel(axis string) func(map[string]any) {
	return func(opt map[string]any) {
		if list, ok := opt[axis].([]any); ok && len(list) > 0 {
			if a, ok := list[0].(map[string]any); ok {
				a["axisLabel"] = map[string]any{"interval": 0}
			}
		}
	}
}

// Day axes: up to LabelledDays every day is written on the axis, turned
// upright when there are more than fit flat; beyond, echarts leaves some
// out. Up to ValuedDays the plays per day are written on their bars.
const (
	LabelledDays = 62
	ValuedDays   = 31
)

// dayAxis labels every day of a day axis of n days (up to LabelledDays),
// turned when there are more than flat ones fit.
func dayAxis(n, flat int) func(map[string]any) {
	return func(opt map[string]any) {
		if n > LabelledDays {
			return
		}
		everyLabel("xAxis")(opt)
		if n <= flat {
			return
		}
		if list, ok := opt["xAxis"].([]any); ok && len(list) > 0 {
			if a, ok := list[0].(map[string]any); ok {
				a["axisLabel"] = map[string]any{"interval": 0, "rotate": 90}
			}
		}
	}
}

func columns(cs []Count, valueLabels bool) *charts.Bar {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1}),
	)
	bar.SetXAxis(labels(cs))
	bar.AddSeries("plays", barData(plays(cs)),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPlays}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(valueLabels), Position: "top"}))
	return bar
}

// ranking is a horizontal bar chart, most plays on top, every label and
// value written out.
func ranking(id, title, note string, names []string, values []int64, table Table) (Chart, echartsChart, func(map[string]any)) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)
	bar.SetXAxis(names)
	bar.AddSeries("plays", barData(values),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPlays}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	return Chart{ID: id, Title: title, Note: note, Wide: true, Rows: len(names), Table: table}, bar, everyLabel("yAxis")
}

func pie(cs []Count, colors map[string]string) *charts.Pie {
	p := charts.NewPie()
	p.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	var data []opts.PieData
	for _, c := range cs {
		item := opts.PieData{Name: c.Label, Value: c.Plays}
		if col, ok := colors[c.Label]; ok {
			item.ItemStyle = &opts.ItemStyle{Color: col}
		}
		data = append(data, item)
	}
	p.AddSeries("plays", data,
		charts.WithPieChartOpts(opts.PieChart{Radius: []string{"35%", "65%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}\n{c} ({d}%)", LineHeight: 16}))
	return p
}

func conversionBars(cs []Conversion) *charts.Bar {
	bar := legendBars()
	var days []string
	var up, down []opts.BarData
	item := func(v int64) opts.BarData {
		return opts.BarData{Value: v, Label: &opts.Label{Show: opts.Bool(v > 0), Position: "top"}}
	}
	for _, c := range cs {
		days = append(days, c.Day)
		up = append(up, item(c.Upgrades))
		down = append(down, item(c.Downgrades))
	}
	bar.SetXAxis(days)
	bar.AddSeries("upgrades", up, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorUp}))
	bar.AddSeries("downgrades", down, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorDown}))
	return bar
}

func barData(values []int64) []opts.BarData {
	out := make([]opts.BarData, 0, len(values))
	for _, v := range values {
		out = append(out, opts.BarData{Value: v})
	}
	return out
}

func labels(cs []Count) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Label)
	}
	return out
}

func plays(cs []Count) []int64 {
	out := []int64{}
	for _, c := range cs {
		out = append(out, c.Plays)
	}
	return out
}

func songLabels(ss []Song) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, SongLabel(s.Title, s.Artist))
	}
	return out
}

func songPlays(ss []Song) []int64 {
	out := []int64{}
	for _, s := range ss {
		out = append(out, s.Plays)
	}
	return out
}

func countTable(name string, cs []Count) Table {
	t := Table{Columns: []string{name, "plays"}}
	for _, c := range cs {
		t.Rows = append(t.Rows, []string{c.Label, strconv.FormatInt(c.Plays, 10)})
	}
	return t
}

func songTable(ss []Song) Table {
	t := Table{Columns: []string{"title", "artist", "plays"}}
	for _, s := range ss {
		t.Rows = append(t.Rows, []string{s.Title, s.Artist, strconv.FormatInt(s.Plays, 10)})
	}
	return t
}

func conversionTable(cs []Conversion) Table {
	t := Table{Columns: []string{"day", "upgrades", "downgrades"}}
	for _, c := range cs {
		if c.Upgrades+c.Downgrades > 0 {
			t.Rows = append(t.Rows, []string{c.Day, strconv.FormatInt(c.Upgrades, 10), strconv.FormatInt(c.Downgrades, 10)})
		}
	}
	return t
}
