-- Built-in data-quality checks. Each block is one check: a query that
-- returns a single value, and directives saying what the value must be.
--   -- description: what it guards
--   -- severity: error (fails the run's exit code) or warn
--   -- expect: the exact value          -- min / -- max: bounds
-- A check may name its threshold setting with -- min-setting: NAME.

-- name: songplays_not_empty
-- description: songplays has rows
-- severity: error
-- min: 1
SELECT COUNT(*) FROM songplays;

-- name: users_not_empty
-- description: users has rows
-- severity: error
-- min: 1
SELECT COUNT(*) FROM users;

-- name: songs_not_empty
-- description: songs has rows
-- severity: error
-- min: 1
SELECT COUNT(*) FROM songs;

-- name: artists_not_empty
-- description: artists has rows
-- severity: error
-- min: 1
SELECT COUNT(*) FROM artists;

-- name: time_not_empty
-- description: time has rows
-- severity: error
-- min: 1
SELECT COUNT(*) FROM time;

-- name: songplay_id_unique
-- description: no songplay_id appears twice
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM (SELECT songplay_id FROM songplays GROUP BY songplay_id HAVING COUNT(*) > 1) d;

-- name: user_id_unique
-- description: no user_id appears twice in users
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM (SELECT user_id FROM users GROUP BY user_id HAVING COUNT(*) > 1) d;

-- name: song_id_unique
-- description: no song_id appears twice in songs
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM (SELECT song_id FROM songs GROUP BY song_id HAVING COUNT(*) > 1) d;

-- name: artist_id_unique
-- description: no artist_id appears twice in artists
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM (SELECT artist_id FROM artists GROUP BY artist_id HAVING COUNT(*) > 1) d;

-- name: start_time_unique
-- description: no start_time appears twice in time
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM (SELECT start_time FROM time GROUP BY start_time HAVING COUNT(*) > 1) d;

-- name: keys_not_null
-- description: no NULL key in any star table
-- severity: error
-- expect: 0
SELECT (SELECT COUNT(*) FROM songplays WHERE songplay_id IS NULL OR start_time IS NULL OR user_id IS NULL)
     + (SELECT COUNT(*) FROM users WHERE user_id IS NULL)
     + (SELECT COUNT(*) FROM songs WHERE song_id IS NULL)
     + (SELECT COUNT(*) FROM artists WHERE artist_id IS NULL)
     + (SELECT COUNT(*) FROM time WHERE start_time IS NULL);

-- name: songplays_users_exist
-- description: every songplays.user_id is in users
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM songplays p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = p.user_id);

-- name: songplays_times_exist
-- description: every songplays.start_time is in time
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM songplays p WHERE NOT EXISTS (SELECT 1 FROM time t WHERE t.start_time = p.start_time);

-- name: songplays_songs_exist
-- description: every songplays.song_id that is set is in songs
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM songplays p
WHERE p.song_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM songs s WHERE s.song_id = p.song_id);

-- name: songplays_artists_exist
-- description: every songplays.artist_id that is set is in artists
-- severity: error
-- expect: 0
SELECT COUNT(*) FROM songplays p
WHERE p.artist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM artists a WHERE a.artist_id = p.artist_id);

-- name: level_values
-- description: level is only 'free' or 'paid' (songplays and users)
-- severity: error
-- expect: 0
SELECT (SELECT COUNT(*) FROM songplays WHERE level IS NULL OR level NOT IN ('free', 'paid'))
     + (SELECT COUNT(*) FROM users WHERE level IS NULL OR level NOT IN ('free', 'paid'));

-- name: songplays_match_events
-- description: songplays holds exactly one row per staged NextSong event with a user
-- severity: error
-- expect-query: SELECT COUNT(DISTINCT event_id) FROM staging_events WHERE page = 'NextSong' AND userid <> ''
SELECT COUNT(*) FROM songplays;

-- name: catalog_match_rate
-- description: share of plays credited to a catalog song (low means the song data lacks what users play)
-- severity: warn
-- min-setting: match_rate_warn
SELECT CASE WHEN COUNT(*) = 0 THEN 0 ELSE CAST(COUNT(song_id) AS DOUBLE PRECISION) / COUNT(*) END FROM songplays;
