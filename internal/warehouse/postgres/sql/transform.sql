-- PostgreSQL overrides of the portable transform.

-- name: load_settings
-- The default work_mem (4 MB) sends the load's hash joins and sorts to
-- disk in many batches; a load is one session at a time, so it can afford
-- more, for its own transaction only.
SET LOCAL work_mem = '64MB';

-- name: full_refresh
-- TRUNCATE is transactional in PostgreSQL and far cheaper than DELETE.
TRUNCATE staging_events, staging_songs, sparkify_files, songplays, users, songs, artists, time, user_levels, sessions;

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
