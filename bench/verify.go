package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/zeebo/xxh3"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// tableQueries read every star table's rows, in no particular order.
var tableQueries = map[string]string{
	"songplays": `SELECT songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location,
	                     user_agent, song_title, artist_name, song_length FROM songplays`,
	"users":       `SELECT user_id, first_name, last_name, gender, level, last_seen FROM users`,
	"songs":       `SELECT song_id, title, artist_id, year, duration, artist_name FROM songs`,
	"artists":     `SELECT artist_id, name, location, latitude, longitude FROM artists`,
	"time":        `SELECT start_time, hour, day, week, month, year, weekday FROM time`,
	"user_levels": `SELECT user_id, level, valid_from, valid_to FROM user_levels`,
}

// fingerprint is a table's row count and an order-independent checksum of
// its rows (the sum of each row's xxh3 hash, over canonical text).
type fingerprint struct {
	rows int64
	sum  uint64
}

func tableFingerprints(ctx context.Context, db *sql.DB) (map[string]fingerprint, error) {
	out := map[string]fingerprint{}
	for name, q := range tableQueries {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var fp fingerprint
		var b strings.Builder
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			b.Reset()
			for _, v := range vals {
				b.WriteString(warehousetest.Canon(v))
				b.WriteByte(0)
			}
			fp.rows++
			fp.sum += xxh3.HashString(b.String())
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[name] = fp
	}
	return out, nil
}

// sameTables fails unless the two warehouses hold the same star tables.
func sameTables(ctx context.Context, what string, a, b *sql.DB) error {
	fa, err := tableFingerprints(ctx, a)
	if err != nil {
		return err
	}
	fb, err := tableFingerprints(ctx, b)
	if err != nil {
		return err
	}
	var bad []string
	for name := range tableQueries {
		if fa[name] != fb[name] {
			bad = append(bad, fmt.Sprintf("%s: %d rows (checksum %x) vs %d rows (%x)", name, fa[name].rows, fa[name].sum, fb[name].rows, fb[name].sum))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s: the tables differ, so no timing is reported:\n  %s", what, strings.Join(bad, "\n  "))
	}
	fmt.Printf("verified %s: %d songplays, %d users, %d songs, %d artists, %d times, %d level periods identical\n", what,
		fa["songplays"].rows, fa["users"].rows, fa["songs"].rows, fa["artists"].rows, fa["time"].rows, fa["user_levels"].rows)
	return nil
}
