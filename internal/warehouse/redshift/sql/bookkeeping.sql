-- Redshift overrides of the bookkeeping statements.

-- name: rejects_list
-- "raw" is a reserved word in Redshift.
SELECT load_id, kind, uri, line_no, reason, "raw"
FROM sparkify_rejects
WHERE load_id = $1
ORDER BY kind, uri, line_no
LIMIT $2;

-- name: run_insert
-- VARCHAR(65535) is Redshift's widest text: the summary and error are cut
-- to 16,000 characters (at most 64,000 bytes in UTF-8) rather than fail
-- the load's bookkeeping.
INSERT INTO sparkify_runs (load_id, status, mode, started_at, finished_at, duration_ms,
                           songs_uri, logs_uri, files_loaded, lines_read, lines_loaded,
                           lines_rejected, summary, error)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
        LEFT(CAST($13 AS VARCHAR(65535)), 16000), LEFT(CAST($14 AS VARCHAR(65535)), 16000));
