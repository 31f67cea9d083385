-- Bookkeeping: load ids, the files already loaded, the run history.

-- name: next_load_id
SELECT COALESCE(MAX(load_id), 0) + 1 FROM sparkify_runs;

-- name: files_known
-- What the quick check compares: each loaded file's kind and version, by uri.
SELECT file_id, kind, uri, version FROM sparkify_files;

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
