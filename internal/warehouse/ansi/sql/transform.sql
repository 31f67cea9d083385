-- The transform from staging into the star schema, run inside the load's
-- transaction. $1 is the load id: staging rows of this load carry it.
-- Temporary tables carry the load's context from one block to the next:
--   tmp_replaced_files   files whose content changed since they were loaded
--   tmp_replaced_events  events those files held (their plays are redone)
--   tmp_song_keys        songs touched by this load (their plays are re-matched)
--   tmp_users            users this load touches
--   tmp_match            the catalog as plays are matched against it
--   tmp_dup              events staged more than once (only they need a window)
--   tmp_seen             plays of this load that exist already, with their fields
--   tmp_users_slow       touched users whose history must be recomputed whole
--   tmp_level_span       each touched user's levels in the events considered
--   tmp_level_changes    the level changes that start new periods

-- name: load_begin
DROP TABLE IF EXISTS tmp_replaced_files;
DROP TABLE IF EXISTS tmp_replaced_events;
DROP TABLE IF EXISTS tmp_song_keys;
DROP TABLE IF EXISTS tmp_users;
CREATE TEMPORARY TABLE tmp_replaced_files (file_id BIGINT);
CREATE TEMPORARY TABLE tmp_replaced_events (event_id BIGINT, userid VARCHAR);
CREATE TEMPORARY TABLE tmp_song_keys (
    song_id VARCHAR, artist_id VARCHAR, title VARCHAR, artist_name VARCHAR, duration DOUBLE PRECISION
);
CREATE TEMPORARY TABLE tmp_users (userid VARCHAR);

-- name: load_settings
-- Session settings for the load's transaction (engines that want them
-- override this; the portable version sets nothing).

-- name: load_replace_file
INSERT INTO tmp_replaced_files (file_id) VALUES ($1);

-- name: load_replace
-- Remember what the old versions of changed files touched, then drop them.
INSERT INTO tmp_replaced_events (event_id, userid)
SELECT event_id, userid FROM staging_events
WHERE file_id IN (SELECT file_id FROM tmp_replaced_files);

INSERT INTO tmp_song_keys (song_id, artist_id, title, artist_name, duration)
SELECT song_id, artist_id, title, artist_name, duration FROM staging_songs
WHERE file_id IN (SELECT file_id FROM tmp_replaced_files);

DELETE FROM staging_events WHERE file_id IN (SELECT file_id FROM tmp_replaced_files);
DELETE FROM staging_songs WHERE file_id IN (SELECT file_id FROM tmp_replaced_files);
DELETE FROM sparkify_files WHERE file_id IN (SELECT file_id FROM tmp_replaced_files);

-- name: staging_cleanup
-- Engines that commit staged rows before the star (see warehouse.StagingCommitter)
-- delete those of loads that never completed; the others have none.

-- name: staging_mark_visible
-- Engines that commit staged rows before the star make them visible with
-- the star; the others need nothing.

-- name: load_end
DROP TABLE IF EXISTS tmp_replaced_files;
DROP TABLE IF EXISTS tmp_replaced_events;
DROP TABLE IF EXISTS tmp_song_keys;
DROP TABLE IF EXISTS tmp_users;
DROP TABLE IF EXISTS tmp_match;
DROP TABLE IF EXISTS tmp_dup;
DROP TABLE IF EXISTS tmp_seen;
DROP TABLE IF EXISTS tmp_users_slow;
DROP TABLE IF EXISTS tmp_level_span;
DROP TABLE IF EXISTS tmp_level_changes;

-- name: full_refresh
DELETE FROM staging_events;
DELETE FROM staging_songs;
DELETE FROM sparkify_files;
DELETE FROM songplays;
DELETE FROM users;
DELETE FROM songs;
DELETE FROM artists;
DELETE FROM time;
DELETE FROM user_levels;
DELETE FROM sessions;

-- name: transform_songs
-- songs: one row per song_id. When files disagree about a song, the record
-- that sorts first by (title, artist_id, duration, year, artist_name) wins,
-- whatever the order files were read in. year 0 means unknown: NULL.
INSERT INTO tmp_song_keys (song_id, artist_id, title, artist_name, duration)
SELECT song_id, artist_id, title, artist_name, duration FROM staging_songs WHERE load_id = $1;

DELETE FROM songs WHERE song_id IN (SELECT song_id FROM tmp_song_keys);

INSERT INTO songs (song_id, title, artist_id, year, duration, artist_name)
SELECT song_id, title, artist_id, year, duration, artist_name
FROM (
    SELECT song_id, title, artist_id, NULLIF(year, 0) AS year, duration, artist_name,
           ROW_NUMBER() OVER (
               PARTITION BY song_id
               ORDER BY title, artist_id, duration, year NULLS LAST, artist_name
           ) AS pick
    FROM staging_songs
    WHERE song_id IN (SELECT song_id FROM tmp_song_keys)
) s
WHERE pick = 1;

-- artists: one row per artist_id. The most complete record wins (a location
-- first, then coordinates), ties broken by name, location, latitude,
-- longitude. Empty locations are NULL; missing coordinates stay NULL.
DELETE FROM artists WHERE artist_id IN (SELECT artist_id FROM tmp_song_keys);

INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, location, artist_latitude, artist_longitude
FROM (
    SELECT artist_id, artist_name, NULLIF(artist_location, '') AS location,
           artist_latitude, artist_longitude,
           ROW_NUMBER() OVER (
               PARTITION BY artist_id
               ORDER BY CASE WHEN NULLIF(artist_location, '') IS NULL THEN 1 ELSE 0 END,
                        CASE WHEN artist_latitude IS NULL OR artist_longitude IS NULL THEN 1 ELSE 0 END,
                        artist_name, artist_location NULLS LAST,
                        artist_latitude NULLS LAST, artist_longitude NULLS LAST
           ) AS pick
    FROM staging_songs
    WHERE artist_id IN (SELECT artist_id FROM tmp_song_keys)
) a
WHERE pick = 1;

-- name: analyze_staging
-- Refresh the planner's statistics after bulk staging (engines that need it
-- override this; the portable version does nothing).

-- name: transform_match
-- The catalog as plays are matched against it, materialised once per load
-- (song_match is a view with a window: joined directly, planners may
-- evaluate it again and again).
DROP TABLE IF EXISTS tmp_match;
CREATE TEMPORARY TABLE tmp_match AS
SELECT title, artist_name, duration, song_id, artist_id FROM song_match;

-- name: transform_rematch
-- Plays whose (title, artist, length) belongs to a song this load added,
-- changed or removed are matched again against the catalog.
UPDATE songplays SET song_id = NULL, artist_id = NULL
WHERE EXISTS (
    SELECT 1 FROM tmp_song_keys k
    WHERE k.title = songplays.song_title AND k.artist_name = songplays.artist_name
      AND k.duration = songplays.song_length
);

UPDATE songplays SET song_id = m.song_id, artist_id = m.artist_id
FROM tmp_match m
WHERE songplays.song_id IS NULL
  AND m.title = songplays.song_title AND m.artist_name = songplays.artist_name
  AND m.duration = songplays.song_length
  AND EXISTS (
    SELECT 1 FROM tmp_song_keys k
    WHERE k.title = m.title AND k.artist_name = m.artist_name AND k.duration = m.duration
  );

-- name: songplays_prepare
-- Before the songplays transform: the plays of replaced files go, and the
-- ids this load staged more than once are found (tmp_dup: only they pay
-- for a window).
DELETE FROM songplays WHERE songplay_id IN (SELECT event_id FROM tmp_replaced_events);

DROP TABLE IF EXISTS tmp_dup;
CREATE TEMPORARY TABLE tmp_dup AS
SELECT event_id FROM staging_events
WHERE load_id = $1 AND page = 'NextSong' AND userid <> ''
GROUP BY event_id
HAVING COUNT(*) > 1;

-- name: songplays_seen
-- The plays of this load that exist already (tmp_seen), with the fields
-- conflicts_count compares, found with this load's ids as the hash table and
-- songplays only scanned (an anti join with songplays hashes all of it:
-- one more day on 4,200,000 plays, PostgreSQL 1.7 s -> 1.0 s).
DROP TABLE IF EXISTS tmp_seen;
CREATE TEMPORARY TABLE tmp_seen AS
SELECT songplay_id, start_time, user_id, session_id, level, song_title, artist_name, song_length,
       location, user_agent
FROM songplays
WHERE songplay_id IN (
    SELECT event_id FROM staging_events
    WHERE load_id = $1 AND page = 'NextSong' AND userid <> ''
);

-- name: songplays_seen_none
-- songplays_seen for a load into an empty songplays (transform_songplays_first):
-- none of this load's plays exists, and songplays is not read.
DROP TABLE IF EXISTS tmp_seen;
CREATE TEMPORARY TABLE tmp_seen AS
SELECT songplay_id, start_time, user_id, session_id, level, song_title, artist_name, song_length,
       location, user_agent
FROM songplays WHERE 1 = 0;

-- name: transform_songplays
-- songplays: one row per NextSong event with a user. The id is the event's
-- stable id; an event seen twice is one play: the copy of the earliest load
-- wins, then the smallest by content (level, song, artist, length, location,
-- user agent), then file and line. Content before file and line makes the
-- pick the same on every engine: Redshift's COPY gives rows no line, and
-- the rows of a shared COPY one file id. A play is credited to a song only
-- on an exact match. These are this load's plays (its rows only: storage
-- skips the others), after songplays_prepare and songplays_seen.
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM staging_events e
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.load_id = $1 AND e.page = 'NextSong' AND e.userid <> ''
  AND NOT EXISTS (SELECT 1 FROM tmp_dup d WHERE d.event_id = e.event_id)
  AND NOT EXISTS (SELECT 1 FROM tmp_seen p WHERE p.songplay_id = e.event_id);

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM (
    SELECT event_id, start_time, userid, level, sessionid, location, useragent, song, artist, length,
           ROW_NUMBER() OVER (
               PARTITION BY event_id
               ORDER BY load_id, level NULLS FIRST, song NULLS FIRST, artist NULLS FIRST,
                        length NULLS FIRST, location NULLS FIRST, useragent NULLS FIRST, file_id, line_no
           ) AS pick
    FROM staging_events
    WHERE load_id = $1 AND event_id IN (SELECT event_id FROM tmp_dup)
      AND page = 'NextSong' AND userid <> ''
) e
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.pick = 1
  AND NOT EXISTS (SELECT 1 FROM tmp_seen p WHERE p.songplay_id = e.event_id);

-- name: transform_songplays_first
-- transform_songplays for a load into an empty songplays (a first load, a
-- full refresh): no play can exist already, so there is no anti join with
-- songplays, which planners misjudge on a table emptied or filled in this
-- transaction (PostgreSQL would scan the table it is inserting into once
-- per play: minutes for 100,000 plays).
-- After songplays_prepare and songplays_seen_none.
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM staging_events e
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.load_id = $1 AND e.page = 'NextSong' AND e.userid <> ''
  AND NOT EXISTS (SELECT 1 FROM tmp_dup d WHERE d.event_id = e.event_id);

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM (
    SELECT event_id, start_time, userid, level, sessionid, location, useragent, song, artist, length,
           ROW_NUMBER() OVER (
               PARTITION BY event_id
               ORDER BY load_id, level NULLS FIRST, song NULLS FIRST, artist NULLS FIRST,
                        length NULLS FIRST, location NULLS FIRST, useragent NULLS FIRST, file_id, line_no
           ) AS pick
    FROM staging_events
    WHERE load_id = $1 AND event_id IN (SELECT event_id FROM tmp_dup)
      AND page = 'NextSong' AND userid <> ''
) e
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.pick = 1;

-- name: transform_songplays_replaced
-- Plays of replaced files that other files still hold come back, and the
-- plays of those events transform_songplays made from this load's copies
-- alone are redone: each from the copy it picks over every load (run only
-- when files were replaced).
DELETE FROM songplays WHERE songplay_id IN (SELECT event_id FROM tmp_replaced_events);

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM (
    SELECT event_id, start_time, userid, level, sessionid, location, useragent, song, artist, length,
           ROW_NUMBER() OVER (
               PARTITION BY event_id
               ORDER BY load_id, level NULLS FIRST, song NULLS FIRST, artist NULLS FIRST,
                        length NULLS FIRST, location NULLS FIRST, useragent NULLS FIRST, file_id, line_no
           ) AS pick
    FROM staging_events
    WHERE event_id IN (SELECT event_id FROM tmp_replaced_events)
      AND page = 'NextSong' AND userid <> ''
) e
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.pick = 1;

-- name: conflicts_count
-- Events of this load that arrived twice with different content: the same
-- event id (ts|userId|sessionId|itemInSession) with another value in a field
-- a play keeps, between this load's copies (tmp_dup) or against the play an
-- earlier load made (tmp_seen holds its fields, read in the pass that found
-- it: no other scan of songplays). Run after the songplays transform; which
-- copy won is unchanged, this only counts. DISTINCT takes NULLs as equal.
SELECT COUNT(*) FROM (
    SELECT event_id FROM (
        SELECT DISTINCT event_id, start_time, userid, sessionid, level, song, artist, length,
               location, useragent
        FROM (
            SELECT event_id, start_time, userid, sessionid, level, song, artist, length, location, useragent
            FROM staging_events
            WHERE load_id = $1 AND page = 'NextSong' AND userid <> ''
              AND (event_id IN (SELECT event_id FROM tmp_dup) OR event_id IN (SELECT songplay_id FROM tmp_seen))
            UNION ALL
            SELECT songplay_id, start_time, user_id, session_id, level, song_title, artist_name, song_length,
                   location, user_agent
            FROM tmp_seen
        ) copies
    ) versions
    GROUP BY event_id
    HAVING COUNT(*) > 1
) conflicting;

-- name: analyze_songplays
-- Refresh the planner's statistics of songplays once this load's plays are
-- in (engines that need it override this).

-- name: transform_time
-- time: one row per distinct songplays.start_time. week is the ISO week;
-- weekday 0 = Sunday .. 6 = Saturday.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       CAST(EXTRACT(HOUR FROM start_time) AS INTEGER),
       CAST(EXTRACT(DAY FROM start_time) AS INTEGER),
       CAST(EXTRACT(WEEK FROM start_time) AS INTEGER),
       CAST(EXTRACT(MONTH FROM start_time) AS INTEGER),
       CAST(EXTRACT(YEAR FROM start_time) AS INTEGER),
       CAST(EXTRACT(DOW FROM start_time) AS INTEGER)
FROM (SELECT DISTINCT start_time FROM songplays WHERE load_id = $1) n
WHERE NOT EXISTS (
    SELECT 1 FROM time t
    WHERE t.start_time = n.start_time
      -- implied by the equality: the scan of time drops the other days'
      -- rows before the anti join sorts or hashes them (one more day on
      -- 2,000,000 times, PostgreSQL: 0.75-0.8 s -> 0.4-0.48 s)
      AND t.start_time BETWEEN (SELECT MIN(start_time) FROM songplays WHERE load_id = $1)
                           AND (SELECT MAX(start_time) FROM songplays WHERE load_id = $1)
);

-- name: transform_time_prune
-- After files were replaced, drop times no play points at any more.
DELETE FROM time WHERE NOT EXISTS (SELECT 1 FROM songplays p WHERE p.start_time = time.start_time);

-- name: transform_users_prepare
-- The users this load touches, and those whose rows must be recomputed from
-- all of staging (the "slow" users): events of theirs were replaced, or a
-- new event is not later than the latest they had (a backfill, or a tie).
-- The others only move forward, from this load's events alone.
INSERT INTO tmp_users (userid)
SELECT DISTINCT userid FROM staging_events WHERE load_id = $1 AND userid <> ''
UNION
SELECT userid FROM tmp_replaced_events WHERE userid <> '';

DROP TABLE IF EXISTS tmp_users_slow;
CREATE TEMPORARY TABLE tmp_users_slow AS
SELECT userid FROM tmp_replaced_events WHERE userid <> ''
UNION
SELECT f.userid
FROM (SELECT userid, MIN(start_time) AS first_time FROM staging_events
      WHERE load_id = $1 AND userid <> '' GROUP BY userid) f
JOIN users u ON u.user_id = f.userid
WHERE f.first_time <= u.last_seen;

-- name: users_slow_count
SELECT COUNT(*) FROM tmp_users_slow;

-- name: transform_users
-- users: one row per non-empty userId of any event; names and level from
-- the user's latest event (by ts, then itemInSession, sessionId, paid before
-- free, names), whatever the order files were read in. The latest ts comes
-- from an aggregate; only the events at that ts are ordered. Here: the users
-- moving forward, from this load's events.
DELETE FROM users WHERE user_id IN (SELECT userid FROM tmp_users);

INSERT INTO users (user_id, first_name, last_name, gender, level, last_seen)
SELECT userid, firstname, lastname, gender, level, start_time
FROM (
    SELECT e.userid, e.firstname, e.lastname, e.gender, e.level, e.start_time,
           ROW_NUMBER() OVER (
               PARTITION BY e.userid
               ORDER BY e.iteminsession DESC, e.sessionid DESC, e.level DESC NULLS LAST,
                        e.firstname DESC NULLS LAST, e.lastname DESC NULLS LAST, e.gender DESC NULLS LAST
           ) AS pick
    FROM staging_events e
    JOIN (SELECT userid, MAX(ts) AS ts FROM staging_events
          WHERE load_id = $1 AND userid <> ''
            AND userid NOT IN (SELECT userid FROM tmp_users_slow)
          GROUP BY userid) l
      ON l.userid = e.userid AND l.ts = e.ts
    WHERE e.load_id = $1
) x
WHERE pick = 1;

-- name: transform_users_slow
-- The slow users, from all their staged events.
INSERT INTO users (user_id, first_name, last_name, gender, level, last_seen)
SELECT userid, firstname, lastname, gender, level, start_time
FROM (
    SELECT e.userid, e.firstname, e.lastname, e.gender, e.level, e.start_time,
           ROW_NUMBER() OVER (
               PARTITION BY e.userid
               ORDER BY e.iteminsession DESC, e.sessionid DESC, e.level DESC NULLS LAST,
                        e.firstname DESC NULLS LAST, e.lastname DESC NULLS LAST, e.gender DESC NULLS LAST
           ) AS pick
    FROM staging_events e
    JOIN (SELECT userid, MAX(ts) AS ts FROM staging_events
          WHERE userid IN (SELECT userid FROM tmp_users_slow)
          GROUP BY userid) l
      ON l.userid = e.userid AND l.ts = e.ts
) x
WHERE pick = 1;

-- name: transform_user_levels
-- user_levels: the periods each user spent at one level, from the level of
-- their events in time order (the order of users, reversed: the last
-- period's level is users.level). Users moving forward extend their history
-- from this load's events; those whose events all have one level need no
-- window (most users).
DROP TABLE IF EXISTS tmp_level_span;
CREATE TEMPORARY TABLE tmp_level_span AS
SELECT userid, MIN(level) AS level, MIN(start_time) AS first_time, COUNT(DISTINCT level) AS levels
FROM staging_events
WHERE load_id = $1 AND userid <> '' AND level IS NOT NULL
  AND userid NOT IN (SELECT userid FROM tmp_users_slow)
GROUP BY userid;

DROP TABLE IF EXISTS tmp_level_changes;
CREATE TEMPORARY TABLE tmp_level_changes AS
SELECT c.userid, c.level, c.start_time, c.seq
FROM (
    SELECT userid, level, first_time AS start_time, CAST(1 AS BIGINT) AS seq, CAST(NULL AS VARCHAR) AS prev
    FROM tmp_level_span
    WHERE levels = 1
    UNION ALL
    SELECT userid, level, start_time, seq, prev
    FROM (
        SELECT userid, level, start_time,
               LAG(level) OVER (PARTITION BY userid
                                ORDER BY ts, iteminsession, sessionid, level NULLS FIRST,
                                         firstname NULLS FIRST, lastname NULLS FIRST, gender NULLS FIRST) AS prev,
               ROW_NUMBER() OVER (PARTITION BY userid
                                  ORDER BY ts, iteminsession, sessionid, level NULLS FIRST,
                                           firstname NULLS FIRST, lastname NULLS FIRST, gender NULLS FIRST) AS seq
        FROM staging_events
        WHERE load_id = $1 AND level IS NOT NULL
          AND userid IN (SELECT userid FROM tmp_level_span WHERE levels > 1)
    ) w
) c
LEFT JOIN user_levels o ON o.user_id = c.userid AND o.valid_to IS NULL
WHERE (c.seq = 1 AND (o.level IS NULL OR o.level <> c.level))
   OR (c.seq > 1 AND c.prev <> c.level);

UPDATE user_levels SET valid_to = f.first_change
FROM (SELECT userid, MIN(start_time) AS first_change FROM tmp_level_changes GROUP BY userid) f
WHERE user_levels.user_id = f.userid AND user_levels.valid_to IS NULL;

INSERT INTO user_levels (user_id, level, valid_from, valid_to)
SELECT userid, level, start_time, LEAD(start_time) OVER (PARTITION BY userid ORDER BY seq)
FROM tmp_level_changes;

-- name: transform_user_levels_slow
-- The slow users' history, recomputed from all their staged events.
DELETE FROM user_levels WHERE user_id IN (SELECT userid FROM tmp_users_slow);

INSERT INTO user_levels (user_id, level, valid_from, valid_to)
SELECT userid, level, start_time, LEAD(start_time) OVER (PARTITION BY userid ORDER BY seq)
FROM (
    SELECT userid, level, start_time, seq,
           LAG(level) OVER (PARTITION BY userid ORDER BY seq) AS prev
    FROM (
        SELECT userid, level, start_time,
               ROW_NUMBER() OVER (
                   PARTITION BY userid
                   ORDER BY ts, iteminsession, sessionid, level NULLS FIRST,
                            firstname NULLS FIRST, lastname NULLS FIRST, gender NULLS FIRST
               ) AS seq
        FROM staging_events
        WHERE userid IN (SELECT userid FROM tmp_users_slow) AND level IS NOT NULL
    ) o
) c
WHERE prev IS NULL OR prev <> level;

-- name: table_counts
SELECT 'songplays' AS t, COUNT(*) FROM songplays
UNION ALL SELECT 'users', COUNT(*) FROM users
UNION ALL SELECT 'songs', COUNT(*) FROM songs
UNION ALL SELECT 'artists', COUNT(*) FROM artists
UNION ALL SELECT 'time', COUNT(*) FROM time
UNION ALL SELECT 'user_levels', COUNT(*) FROM user_levels
UNION ALL SELECT 'sessions', COUNT(*) FROM sessions;
