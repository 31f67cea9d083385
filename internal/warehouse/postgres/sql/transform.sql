-- PostgreSQL overrides of the portable transform.

-- name: full_refresh
-- TRUNCATE is transactional in PostgreSQL and far cheaper than DELETE.
TRUNCATE staging_events, staging_songs, sparkify_files, songplays, users, songs, artists, time, user_levels;
