-- PostgreSQL's own schema migrations: indexes.
--
-- A load selects its own rows by load_id (staging, then its plays). Load
-- ids grow with insertion order, so each load's rows sit in pages of their
-- own and a BRIN index on load_id - a few kilobytes, next to free to keep
-- up during COPY - lets those scans skip every earlier load's pages. (DuckDB
-- gets the same from its zone maps.) Without it, one more day on top of
-- 5,000,000 events scanned all of staging_events for every step.

-- name: engine_migration_1
CREATE INDEX IF NOT EXISTS staging_events_load_brin ON staging_events USING brin (load_id);
CREATE INDEX IF NOT EXISTS staging_songs_load_brin ON staging_songs USING brin (load_id);
CREATE INDEX IF NOT EXISTS songplays_load_brin ON songplays USING brin (load_id);
