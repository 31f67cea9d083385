-- The export: one SELECT per star table, with the columns written and the
-- partition columns last. "-- partition:" names the columns that become
-- Hive-style folders (year=2018/month=11/) instead of file columns, in
-- folder order; a table without it is written whole. Every query orders by
-- its partition columns, so a writer that streams rows sees each partition
-- as one run. The SQL is portable: DuckDB, PostgreSQL and Redshift run it
-- as it is (CAST fixes the type EXTRACT returns, which differs by engine).

-- name: songplays
-- partition: year month
SELECT songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
       location, user_agent, song_title, artist_name, song_length, load_id,
       CAST(EXTRACT(YEAR FROM start_time) AS INTEGER)  AS year,
       CAST(EXTRACT(MONTH FROM start_time) AS INTEGER) AS month
FROM songplays
ORDER BY year, month, songplay_id

-- name: users
SELECT user_id, first_name, last_name, gender, level, last_seen, cancelled_at
FROM users
ORDER BY user_id

-- name: songs
-- partition: year artist_id
SELECT song_id, title, duration, artist_name, year, artist_id
FROM songs
ORDER BY year, artist_id, song_id

-- name: artists
SELECT artist_id, name, location, latitude, longitude
FROM artists
ORDER BY artist_id

-- name: time
-- partition: year month
SELECT start_time, hour, day, week, weekday, year, month
FROM time
ORDER BY year, month, start_time

-- name: user_levels
SELECT user_id, level, valid_from, valid_to
FROM user_levels
ORDER BY user_id, valid_from, level

-- name: sessions
-- partition: year month
-- By the month a session starts, like songplays.
SELECT user_id, session_id, started_at, ended_at, duration_ms, events, plays, level, location, user_agent,
       CAST(EXTRACT(YEAR FROM started_at) AS INTEGER)  AS year,
       CAST(EXTRACT(MONTH FROM started_at) AS INTEGER) AS month
FROM sessions
ORDER BY year, month, user_id, session_id

-- name: latest_load
-- The load the export reflects: the latest that succeeded (NULL when none).
SELECT MAX(load_id) FROM sparkify_runs WHERE status = 'succeeded'
