-- The dashboard's queries: fixed SQL, run read-only, that take the
-- request's filter only as bound parameters. Every play query takes
--   $1 from, $2 to   the first and last day (YYYY-MM-DD), NULL for no bound
--   $3 level         'free' or 'paid', NULL for both
-- and the top-N queries a LIMIT as $4. Ties are broken by a key so every
-- engine draws the same chart.

-- name: summary
-- description: Plays, listeners and sessions in the filter, and the days they span.
-- params: from to level
SELECT COUNT(*) AS plays,
       COUNT(DISTINCT sp.user_id) AS users,
       COUNT(DISTINCT sp.session_id) AS sessions,
       CAST(CAST(MIN(sp.start_time) AS DATE) AS VARCHAR) AS first_day,
       CAST(CAST(MAX(sp.start_time) AS DATE) AS VARCHAR) AS last_day
FROM songplays sp
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR));

-- name: plays-per-day
-- description: Plays per day (UTC).
-- params: from to level
SELECT CAST(CAST(sp.start_time AS DATE) AS VARCHAR) AS day, COUNT(*) AS plays
FROM songplays sp
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY CAST(sp.start_time AS DATE)
ORDER BY day;

-- name: plays-by-hour
-- description: Plays per hour of the day (UTC).
-- params: from to level
SELECT t.hour, COUNT(*) AS plays
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY t.hour
ORDER BY t.hour;

-- name: plays-by-weekday
-- description: Plays per day of the week (0 = Sunday).
-- params: from to level
SELECT t.weekday, COUNT(*) AS plays
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY t.weekday
ORDER BY t.weekday;

-- name: top-songs
-- description: The most played catalog songs (plays credited to a song of the catalog).
-- params: from to level limit
SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
JOIN artists a ON a.artist_id = sp.artist_id
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY s.song_id, s.title, a.name
ORDER BY plays DESC, s.title, s.song_id
LIMIT $4;

-- name: top-artists
-- description: The most played catalog artists.
-- params: from to level limit
SELECT a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN artists a ON a.artist_id = sp.artist_id
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY a.artist_id, a.name
ORDER BY plays DESC, a.name, a.artist_id
LIMIT $4;

-- name: top-played
-- description: The most played songs by the title and artist in the events, catalog or not.
-- params: from to level limit
SELECT sp.song_title AS title, sp.artist_name AS artist, COUNT(*) AS plays
FROM songplays sp
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY sp.song_title, sp.artist_name
ORDER BY plays DESC, sp.song_title, sp.artist_name
LIMIT $4;

-- name: top-played-artists
-- description: The most played artists by the name in the events, catalog or not.
-- params: from to level limit
SELECT sp.artist_name AS artist, COUNT(*) AS plays
FROM songplays sp
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY sp.artist_name
ORDER BY plays DESC, sp.artist_name
LIMIT $4;

-- name: level-split
-- description: Plays by free and by paid users.
-- params: from to level
SELECT sp.level, COUNT(*) AS plays
FROM songplays sp
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY sp.level
ORDER BY plays DESC, sp.level;

-- name: top-locations
-- description: The locations with the most plays.
-- params: from to level limit
SELECT sp.location, COUNT(*) AS plays
FROM songplays sp
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY sp.location
ORDER BY plays DESC, sp.location
LIMIT $4;

-- name: user-agents
-- description: Plays per user agent string; the dashboard sorts them into browsers and systems.
-- params: from to level
SELECT sp.user_agent, COUNT(*) AS plays
FROM songplays sp
WHERE (CAST($1 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(sp.start_time AS DATE) <= CAST($2 AS DATE))
  AND (CAST($3 AS VARCHAR) IS NULL OR sp.level = CAST($3 AS VARCHAR))
GROUP BY sp.user_agent
ORDER BY plays DESC, sp.user_agent;

-- name: runs
-- description: The latest loads, newest first, with their stored summary (JSON).
-- params: limit
SELECT load_id, status, mode, started_at, duration_ms, files_loaded,
       lines_loaded, lines_rejected, summary, error
FROM sparkify_runs
ORDER BY load_id DESC
LIMIT $1;
