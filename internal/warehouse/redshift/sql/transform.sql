-- Redshift overrides of the portable transform (ansi/sql/transform.sql).
-- Same semantics; the differences are Redshift's:
--   * temporary tables get sized columns (an unsized VARCHAR is 256 bytes);
--   * correlated subqueries become joins (Redshift plans joins well and
--     refuses some correlated forms);
--   * rows staged by COPY have no line number, so ties within one file are
--     broken by the row's content instead, to stay deterministic.
-- Blocks not overridden here (load_replace, full_refresh with DELETE, transform_songs,
-- transform_users, transform_user_levels, table_counts) run as written in
-- ansi: they are plain SQL Redshift accepts. TRUNCATE is never used inside
-- the load: in Redshift it commits the transaction.

-- name: load_begin
DROP TABLE IF EXISTS tmp_replaced_files;
DROP TABLE IF EXISTS tmp_replaced_events;
DROP TABLE IF EXISTS tmp_song_keys;
DROP TABLE IF EXISTS tmp_users;
DROP TABLE IF EXISTS tmp_replaced_songs;
CREATE TEMPORARY TABLE tmp_replaced_files (file_id BIGINT);
CREATE TEMPORARY TABLE tmp_replaced_songs (uri VARCHAR(2048), load_id BIGINT);
CREATE TEMPORARY TABLE tmp_replaced_events (event_id BIGINT, userid VARCHAR(64));
CREATE TEMPORARY TABLE tmp_song_keys (
    song_id VARCHAR(32), artist_id VARCHAR(32), title VARCHAR(512), artist_name VARCHAR(512),
    duration DOUBLE PRECISION
);
CREATE TEMPORARY TABLE tmp_users (userid VARCHAR(64));

-- name: load_replace_file
-- As the portable block, plus two things COPY needs. Song rows staged by COPY have no file_id: a
-- changed song file and the load that staged its old version are
-- remembered as well (tmp_replaced_songs), so that the new version's
-- records supersede the old ones (copy_songs_supersede).
-- A log file that its load's shared COPY staged (the load's rows carry the
-- shared file id, minus the load id, and none carry the file's own) takes
-- those shared rows with it: the pipeline stages its COPY-mates again
-- (copy_events_mates).
INSERT INTO tmp_replaced_files (file_id) VALUES ($1);

INSERT INTO tmp_replaced_songs (uri, load_id)
SELECT uri, load_id FROM sparkify_files WHERE kind = 'song' AND file_id = $1;

INSERT INTO tmp_replaced_files (file_id)
SELECT DISTINCT s.file_id
FROM sparkify_files f
JOIN staging_events s ON s.load_id = f.load_id AND s.file_id = -f.load_id
WHERE f.file_id = $1 AND f.kind = 'log'
  AND NOT EXISTS (SELECT 1 FROM staging_events WHERE file_id = $1);

-- name: transform_rematch
-- Plays whose (title, artist, length) belongs to a song this load added,
-- changed or removed are matched again against the catalog.
UPDATE songplays SET song_id = NULL, artist_id = NULL
FROM (SELECT DISTINCT title, artist_name, duration FROM tmp_song_keys) k
WHERE k.title = songplays.song_title AND k.artist_name = songplays.artist_name
  AND k.duration = songplays.song_length;

UPDATE songplays SET song_id = m.song_id, artist_id = m.artist_id
FROM song_match m, (SELECT DISTINCT title, artist_name, duration FROM tmp_song_keys) k
WHERE songplays.song_id IS NULL
  AND m.title = songplays.song_title AND m.artist_name = songplays.artist_name
  AND m.duration = songplays.song_length
  AND k.title = m.title AND k.artist_name = m.artist_name AND k.duration = m.duration;

-- name: transform_songplays
-- One row per NextSong event with a user; the copy of an event loaded
-- first wins, then the smallest row by content (the portable rule: see
-- transform_songplays in ansi). After songplays_prepare (the replaced
-- files' plays are gone) and songplays_seen (this load's plays that exist
-- already).
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
    WHERE page = 'NextSong' AND userid <> ''
      AND (load_id = $1 OR event_id IN (SELECT event_id FROM tmp_replaced_events))
) e
LEFT JOIN song_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
LEFT JOIN tmp_seen p ON p.songplay_id = e.event_id
WHERE e.pick = 1
  AND p.songplay_id IS NULL;

-- name: transform_time
-- One row per distinct songplays.start_time; weekday 0 = Sunday.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT n.start_time,
       CAST(EXTRACT(HOUR FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(DAY FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(WEEK FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(MONTH FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(YEAR FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(DOW FROM n.start_time) AS INTEGER)
FROM (SELECT DISTINCT start_time FROM songplays WHERE load_id = $1) n
LEFT JOIN time t ON t.start_time = n.start_time
WHERE t.start_time IS NULL;

-- name: transform_time_prune
DELETE FROM time WHERE start_time NOT IN (SELECT start_time FROM songplays);
