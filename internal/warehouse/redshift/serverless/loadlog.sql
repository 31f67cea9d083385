-- Redshift Serverless: the load log and the session list in the SYS
-- monitoring views. Serverless has no STL or STV tables (AWS: "Migrating
-- to SYS monitoring views", which maps STL_LOAD_ERRORS to
-- SYS_LOAD_ERROR_DETAIL, STL_LOAD_COMMITS to SYS_LOAD_DETAIL and
-- STV_SESSIONS to SYS_SESSION_HISTORY). These blocks override the
-- provisioned ones of sql/copy.sql and sql/lock.sql; the columns are those
-- of the AWS pages named on each block. Query ids of the SYS views are not
-- those of STL, so the COPY's id is read from SYS_LOAD_HISTORY too.

-- name: copy_last
-- The COPY just run in this session: its query id in the SYS views (the
-- newest COPY of this session in SYS_LOAD_HISTORY, columns query_id,
-- session_id: https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_HISTORY.html)
-- and the rows it loaded.
SELECT (SELECT MAX(query_id) FROM sys_load_history WHERE session_id = pg_backend_pid()),
       pg_last_copy_count();

-- name: copy_errors
-- The lines a COPY rejected. SYS_LOAD_ERROR_DETAIL (query_id, file_name,
-- line_number, column_name, error_message:
-- https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_ERROR_DETAIL.html)
-- has no raw line: the reject's text is empty.
SELECT TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message), ''
FROM sys_load_error_detail
WHERE query_id = $1
ORDER BY 1, 2;

-- name: copy_file_lines
-- The records each file of a COPY held: SYS_LOAD_DETAIL (query_id,
-- file_name, lines_scanned:
-- https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_DETAIL.html).
SELECT TRIM(file_name), SUM(lines_scanned)
FROM sys_load_detail
WHERE query_id = $1
GROUP BY 1;

-- name: copy_errors_of_failed
-- After a COPY failed, another connection reads every line it rejected:
-- the latest COPY with errors of session $1 after its last completed COPY
-- $2, started since $3 (SYS_LOAD_ERROR_DETAIL.session_id is the process id
-- of the session that ran the COPY, start_time when it began).
SELECT TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message), ''
FROM sys_load_error_detail
WHERE query_id = (SELECT MAX(query_id) FROM sys_load_error_detail
                  WHERE session_id = $1 AND query_id > $2 AND start_time >= $3)
ORDER BY 1, 2;
