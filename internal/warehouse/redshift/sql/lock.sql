-- The load lock. Redshift has no advisory locks, so the lock is a row in
-- sparkify_lock naming the session (process id and start time) that holds
-- it, written under LOCK (an exclusive table lock, held to the end of the
-- short transaction). A holder whose session is gone from stv_sessions
-- died: its row is stale and is taken over. A regular user sees only its
-- own sessions in stv_sessions, so run every load as the same database user.

-- name: lock_prepare
CREATE TABLE IF NOT EXISTS sparkify_lock (
    holder       INTEGER   NOT NULL,
    holder_start TIMESTAMP NOT NULL,
    since        TIMESTAMP NOT NULL
);

-- name: lock_table
LOCK sparkify_lock;

-- name: lock_held_by_other
SELECT COUNT(*)
FROM sparkify_lock l
JOIN stv_sessions s ON s.process = l.holder AND s.starttime = l.holder_start
WHERE l.holder <> pg_backend_pid();

-- name: lock_take
DELETE FROM sparkify_lock;
INSERT INTO sparkify_lock (holder, holder_start, since)
SELECT process, starttime, GETDATE() FROM stv_sessions WHERE process = pg_backend_pid();

-- name: lock_release
DELETE FROM sparkify_lock WHERE holder = pg_backend_pid();
