package warehousetest

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// StarQueries dump every star table in a fixed order, for comparing
// warehouses row by row.
var StarQueries = map[string]string{
	"songplays": `SELECT songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location,
	                     user_agent, song_title, artist_name, song_length FROM songplays ORDER BY songplay_id`,
	"users":       `SELECT user_id, first_name, last_name, gender, level, cancelled_at FROM users ORDER BY user_id`,
	"songs":       `SELECT song_id, title, artist_id, year, duration, artist_name FROM songs ORDER BY song_id`,
	"artists":     `SELECT artist_id, name, location, latitude, longitude FROM artists ORDER BY artist_id`,
	"time":        `SELECT start_time, hour, day, week, month, year, weekday FROM time ORDER BY start_time`,
	"user_levels": `SELECT user_id, level, valid_from, valid_to FROM user_levels ORDER BY user_id, valid_from, level`,
	"sessions": `SELECT user_id, session_id, started_at, ended_at, duration_ms, events, plays, level, location,
	                    user_agent FROM sessions ORDER BY user_id, session_id`,
}

// Dump returns a table's rows as canonical strings: NULL as "NULL", times
// in UTC with milliseconds, floats in their shortest exact form, integers
// without a type.
func Dump(t testing.TB, q warehouse.Querier, query string) []string {
	t.Helper()
	res, err := warehouse.Query(context.Background(), q, query)
	if err != nil {
		t.Fatalf("dump %q: %v", query, err)
	}
	out := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		cells := make([]string, len(row))
		for j, v := range row {
			cells[j] = Canon(v)
		}
		out[i] = strings.Join(cells, "|")
	}
	return out
}

// Canon renders one value canonically (see Dump).
func Canon(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000")
	case float64:
		if math.IsNaN(x) {
			return "NaN"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case []byte:
		return string(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// DumpStar dumps every star table.
func DumpStar(t testing.TB, q warehouse.Querier) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, query := range StarQueries {
		out[name] = Dump(t, q, query)
	}
	return out
}

// DiffStar reports the first differences between two star dumps.
func DiffStar(a, b map[string][]string) []string {
	var diffs []string
	for name := range StarQueries {
		x, y := a[name], b[name]
		if len(x) != len(y) {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows vs %d", name, len(x), len(y)))
		}
		shown := 0
		for i := 0; i < len(x) && i < len(y) && shown < 3; i++ {
			if x[i] != y[i] {
				diffs = append(diffs, fmt.Sprintf("%s row %d:\n  %s\n  %s", name, i, x[i], y[i]))
				shown++
			}
		}
	}
	return diffs
}
