-- PostgreSQL overrides of the portable transform.

-- name: load_settings
-- The default work_mem (4 MB) sends the load's hash joins and sorts to
-- disk in many batches; a load is one session at a time, so it can afford
-- more, for its own transaction only.
SET LOCAL work_mem = '64MB';

-- name: full_refresh
-- TRUNCATE is transactional in PostgreSQL and far cheaper than DELETE.
TRUNCATE staging_events, staging_songs, sparkify_files, songplays, users, songs, artists, time, user_levels;

-- name: analyze_staging
-- Bulk-loaded rows are not in the planner's statistics until autovacuum
-- gets to them, which is after this transaction: without these, it takes
-- this load's rows for a handful and joins them in nested loops (100,000
-- plays: 8 s instead of a fraction of one). ANALYZE samples, so its cost
-- does not grow with the table; only the columns plans depend on.
ANALYZE staging_events (load_id, file_id, event_id, page, userid, song, artist, length, ts);
ANALYZE staging_songs (load_id, file_id, song_id, artist_id, title, artist_name, duration);
ANALYZE songplays (songplay_id, user_id, song_title, artist_name, song_length, load_id);
-- BRIN ranges are summarised by autovacuum, long after this load: do it
-- now, so that this load's scans skip the earlier loads' pages (it reads
-- only the pages not yet summarised: this load's).
SELECT brin_summarize_new_values('staging_events_load_brin');
SELECT brin_summarize_new_values('staging_songs_load_brin');

-- name: analyze_songplays
-- As analyze_staging, for the plays this load added: the blocks after
-- select them by load_id, a value the statistics have not seen yet.
ANALYZE songplays (songplay_id, start_time, user_id, level, load_id);
SELECT brin_summarize_new_values('songplays_load_brin');

-- name: transform_songplays
-- As the portable block, but the plays of this load that exist already are
-- found first, with this load's ids as the hash table and songplays only
-- scanned: the portable anti join hashes all of songplays (one more day on
-- 4,200,000 plays: 1.7 s -> 1.0 s).
DELETE FROM songplays WHERE songplay_id IN (SELECT event_id FROM tmp_replaced_events);

DROP TABLE IF EXISTS tmp_dup;
CREATE TEMPORARY TABLE tmp_dup AS
SELECT event_id FROM staging_events
WHERE load_id = $1 AND page = 'NextSong' AND userid <> ''
GROUP BY event_id
HAVING COUNT(*) > 1;

DROP TABLE IF EXISTS tmp_seen;
CREATE TEMPORARY TABLE tmp_seen AS
SELECT songplay_id FROM songplays
WHERE songplay_id IN (
    SELECT event_id FROM staging_events
    WHERE load_id = $1 AND page = 'NextSong' AND userid <> ''
);

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
           ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY load_id, file_id, line_no) AS pick
    FROM staging_events
    WHERE load_id = $1 AND event_id IN (SELECT event_id FROM tmp_dup)
      AND page = 'NextSong' AND userid <> ''
) e
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.pick = 1
  AND NOT EXISTS (SELECT 1 FROM tmp_seen p WHERE p.songplay_id = e.event_id);
