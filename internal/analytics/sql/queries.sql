-- The analysts' named queries. Each block may start with directives:
--   -- description: what it answers
--   -- params: the parameters $1, $2, ... in order (year, limit, user, from,
--      to, level); from, to and level are NULL when not given, meaning no bound
-- Ties are always broken by a key so every engine returns the same rows.

-- name: top-songs
-- description: The most played catalog songs in a year (the original project's example query).
-- params: year limit
SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
JOIN artists a ON a.artist_id = sp.artist_id
JOIN time t ON t.start_time = sp.start_time
WHERE t.year = $1
GROUP BY s.song_id, s.title, a.name
ORDER BY plays DESC, s.title, s.song_id
LIMIT $2;

-- name: top-artists
-- description: The most played catalog artists in a year (the original project's example query).
-- params: year limit
SELECT a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN artists a ON a.artist_id = sp.artist_id
JOIN time t ON t.start_time = sp.start_time
WHERE t.year = $1
GROUP BY a.artist_id, a.name
ORDER BY plays DESC, a.name, a.artist_id
LIMIT $2;

-- name: top-played
-- description: The most played songs by the title and artist in the events themselves, catalog or not.
-- params: year limit
SELECT sp.song_title AS title, sp.artist_name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
WHERE t.year = $1
GROUP BY sp.song_title, sp.artist_name
ORDER BY plays DESC, sp.song_title, sp.artist_name
LIMIT $2;

-- name: plays-by-hour
-- description: Plays per hour of the day (UTC) in a year.
-- params: year
SELECT t.hour, COUNT(*) AS plays
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
WHERE t.year = $1
GROUP BY t.hour
ORDER BY t.hour;

-- name: plays-by-weekday
-- description: Plays per day of the week in a year (0 = Sunday).
-- params: year
SELECT t.weekday,
       CASE t.weekday WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday'
                      WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday'
                      ELSE 'Saturday' END AS day,
       COUNT(*) AS plays
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
WHERE t.year = $1
GROUP BY t.weekday
ORDER BY t.weekday;

-- name: level-split
-- description: Plays by free and paid users in a year, with their share in percent.
-- params: year
-- share_pct, not percent: PERCENT is a reserved word in Redshift ("Reserved
-- words", https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html).
SELECT sp.level, COUNT(*) AS plays,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1) AS share_pct
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
WHERE t.year = $1
GROUP BY sp.level
ORDER BY plays DESC, sp.level;

-- name: top-users
-- description: The users with the most plays in a year, with their current level.
-- params: year limit
SELECT sp.user_id, u.first_name, u.last_name, u.level, COUNT(*) AS plays
FROM songplays sp
JOIN users u ON u.user_id = sp.user_id
JOIN time t ON t.start_time = sp.start_time
WHERE t.year = $1
GROUP BY sp.user_id, u.first_name, u.last_name, u.level
ORDER BY plays DESC, sp.user_id
LIMIT $2;

-- name: conversions
-- description: Upgrades (free to paid) and downgrades (paid to free) per day, from the users' level history.
-- params: from to
-- A period of user_levels is a conversion when the same user's previous
-- period had the other level; it is dated by the day the new period starts.
-- Periods starting at the same instant are ordered by their end (the
-- zero-length one first), as the load built them.
SELECT CAST(CAST(valid_from AS DATE) AS VARCHAR) AS day,
       CAST(SUM(CASE WHEN previous = 'free' AND level = 'paid' THEN 1 ELSE 0 END) AS BIGINT) AS upgrades,
       CAST(SUM(CASE WHEN previous = 'paid' AND level = 'free' THEN 1 ELSE 0 END) AS BIGINT) AS downgrades
FROM (
    SELECT level, valid_from,
           LAG(level) OVER (PARTITION BY user_id ORDER BY valid_from, valid_to NULLS LAST) AS previous
    FROM user_levels
) c
WHERE ((previous = 'free' AND level = 'paid') OR (previous = 'paid' AND level = 'free'))
  AND (CAST($1 AS DATE) IS NULL OR CAST(valid_from AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(valid_from AS DATE) <= CAST($2 AS DATE))
GROUP BY CAST(valid_from AS DATE)
ORDER BY day;

-- name: level-history
-- description: One user's periods at each level, oldest first (valid_to is empty for the current one).
-- params: user
SELECT user_id, level, valid_from, valid_to
FROM user_levels
WHERE user_id = $1
ORDER BY valid_from, valid_to NULLS LAST;

-- name: latest-year
-- description: The most recent year with plays: the default --year.
SELECT MAX(year) FROM time;
