-- DuckDB overrides of the portable transform.

-- name: full_refresh
-- DuckDB's TRUNCATE is transactional, like DELETE but cheaper.
TRUNCATE staging_events;
TRUNCATE staging_songs;
TRUNCATE sparkify_files;
TRUNCATE songplays;
TRUNCATE users;
TRUNCATE songs;
TRUNCATE artists;
TRUNCATE time;
TRUNCATE user_levels;
