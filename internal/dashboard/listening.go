package dashboard

import (
	"strconv"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/output"
)

// The listening charts' data (issue #16), from the named queries sessions,
// retention, churn and engagement (internal/analytics/sql/listening.sql):
// the page asks the warehouse exactly what 'sparkify query' answers.

// SessionDay is one day of the sessions chart.
type SessionDay struct {
	Day             string  `json:"day"`
	Sessions        int64   `json:"sessions"`
	PlaysPerSession float64 `json:"plays_per_session"`
	MedianMinutes   float64 `json:"median_minutes"`
}

// RetentionCell is one cell of the retention heatmap.
type RetentionCell struct {
	Cohort string  `json:"cohort_week"`
	Users  int64   `json:"users"`
	Offset int64   `json:"week_offset"`
	Active int64   `json:"active_users"`
	Share  float64 `json:"share"`
}

// ChurnDay is one day of the churn chart.
type ChurnDay struct {
	Day           string `json:"day"`
	Cancellations int64  `json:"cancellations"`
	Paid          int64  `json:"paid"`
	Free          int64  `json:"free"`
	Downgrades    int64  `json:"downgrades"`
	Upgrades      int64  `json:"upgrades"`
}

// ActiveDay is one day of the active users chart.
type ActiveDay struct {
	Day     string `json:"day"`
	Daily   int64  `json:"daily_active_users"`
	Weekly  int64  `json:"weekly_active_users"`
	Monthly int64  `json:"monthly_active_users"`
}

// collectListening runs the four listening queries with the page's filter
// (each takes the bounds it has: sessions the days and the level, churn and
// engagement the days, retention none).
func (c *collector) collectListening(d *Data) {
	named := func(name string) [][]any {
		q, err := analytics.Get(name)
		if err != nil {
			if c.err == nil {
				c.err = err
			}
			return nil
		}
		return c.run(q, c.args)
	}
	d.Sessions = []SessionDay{}
	for _, r := range named("sessions") {
		d.Sessions = append(d.Sessions, SessionDay{output.Text(r[0]), asInt(r[1]), asFloat(r[2]), asFloat(r[3])})
	}
	d.Retention = []RetentionCell{}
	for _, r := range named("retention") {
		d.Retention = append(d.Retention, RetentionCell{output.Text(r[0]), asInt(r[1]), asInt(r[2]), asInt(r[3]), asFloat(r[4])})
	}
	d.Churn = []ChurnDay{}
	for _, r := range named("churn") {
		d.Churn = append(d.Churn, ChurnDay{output.Text(r[0]), asInt(r[1]), asInt(r[2]), asInt(r[3]), asInt(r[4]), asInt(r[5])})
	}
	d.Engagement = []ActiveDay{}
	for _, r := range named("engagement") {
		d.Engagement = append(d.Engagement, ActiveDay{output.Text(r[0]), asInt(r[1]), asInt(r[2]), asInt(r[3])})
	}
}

func asFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	}
	f, _ := strconv.ParseFloat(output.Text(v), 64)
	return f
}
