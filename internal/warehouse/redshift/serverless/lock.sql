-- Redshift Serverless: the lock holders' sessions are looked up in
-- SYS_SESSION_HISTORY (session_id, status, start_time:
-- https://docs.aws.amazon.com/redshift/latest/dg/SYS_SESSION_HISTORY.html),
-- which keeps ended sessions too: a holder is alive while its row is
-- 'active' ('timed out' and 'closed' ones are gone).

-- name: lock_held_by_other
SELECT COUNT(*)
FROM sparkify_lock l
JOIN sys_session_history s ON s.session_id = l.holder AND s.start_time = l.holder_start
WHERE TRIM(s.status) = 'active' AND l.holder <> pg_backend_pid();

-- name: lock_take
DELETE FROM sparkify_lock;
INSERT INTO sparkify_lock (holder, holder_start, since)
SELECT session_id, start_time, GETDATE() FROM sys_session_history
WHERE session_id = pg_backend_pid() AND TRIM(status) = 'active';

-- name: named_lock_held_by_other
SELECT COUNT(*)
FROM sparkify_named_lock l
JOIN sys_session_history s ON s.session_id = l.holder AND s.start_time = l.holder_start
WHERE TRIM(s.status) = 'active' AND l.name = $1 AND l.holder <> pg_backend_pid();

-- name: named_lock_take
DELETE FROM sparkify_named_lock WHERE name = $1;
INSERT INTO sparkify_named_lock (name, holder, holder_start, since)
SELECT CAST($1 AS VARCHAR(64)), session_id, start_time, GETDATE() FROM sys_session_history
WHERE session_id = pg_backend_pid() AND TRIM(status) = 'active';
