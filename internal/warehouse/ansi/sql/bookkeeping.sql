-- Bookkeeping: load ids, the files already loaded, the run history.

-- name: next_load_id
SELECT COALESCE(MAX(load_id), 0) + 1 FROM sparkify_runs;

-- name: files_known
-- What the quick check compares: each loaded file's kind and version, by
-- uri; size and content fingerprint tell a touched file from a changed one.
SELECT file_id, kind, uri, version, size, fingerprint FROM sparkify_files;

-- name: files_touch_begin
-- Files whose quick-check version changed but whose content did not
-- (touched, copied with a new mtime): only their versions move, all at once
-- (one UPDATE per file costs DuckDB half a millisecond each).
DROP TABLE IF EXISTS tmp_touched;
CREATE TEMPORARY TABLE tmp_touched (file_id BIGINT, version VARCHAR(256));

-- name: files_touch
UPDATE sparkify_files SET version = t.version
FROM tmp_touched t
WHERE sparkify_files.file_id = t.file_id;
DROP TABLE tmp_touched;

-- name: run_insert
INSERT INTO sparkify_runs (load_id, status, mode, started_at, finished_at, duration_ms,
                           songs_uri, logs_uri, files_loaded, lines_read, lines_loaded,
                           lines_rejected, summary, error)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14);

-- name: runs_list
SELECT load_id, status, mode, started_at, finished_at, duration_ms, songs_uri, logs_uri,
       files_loaded, lines_read, lines_loaded, lines_rejected, summary, error
FROM sparkify_runs
ORDER BY load_id DESC
LIMIT $1;

-- name: rejects_list
SELECT load_id, kind, uri, line_no, reason, raw
FROM sparkify_rejects
WHERE load_id = $1
ORDER BY kind, uri, line_no
LIMIT $2;

-- name: rejects_latest_load
SELECT COALESCE(MAX(load_id), 0) FROM sparkify_rejects;

-- name: files_of_load
-- The files a load read: the current version of every loaded file carries
-- the load that read it.
SELECT load_id, kind, uri, size, lines, loaded, rejected, fingerprint
FROM sparkify_files
WHERE load_id = $1
ORDER BY kind, uri
LIMIT $2;

-- name: files_latest_load
SELECT COALESCE(MAX(load_id), 0) FROM sparkify_files;

-- name: run_roots
-- The sources a load read, as the user gave them.
SELECT songs_uri, logs_uri FROM sparkify_runs WHERE load_id = $1;
