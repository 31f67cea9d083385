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

-- Locks besides the load lock, by name (watch takes "watch" for its whole
-- life), kept the same way in a table of their own: one row per name.

-- name: named_lock_prepare
CREATE TABLE IF NOT EXISTS sparkify_named_lock (
    name         VARCHAR(64) NOT NULL,
    holder       INTEGER     NOT NULL,
    holder_start TIMESTAMP   NOT NULL,
    since        TIMESTAMP   NOT NULL
);

-- name: named_lock_table
LOCK sparkify_named_lock;

-- name: named_lock_held_by_other
SELECT COUNT(*)
FROM sparkify_named_lock l
JOIN stv_sessions s ON s.process = l.holder AND s.starttime = l.holder_start
WHERE l.name = $1 AND l.holder <> pg_backend_pid();

-- name: named_lock_take
DELETE FROM sparkify_named_lock WHERE name = $1;
INSERT INTO sparkify_named_lock (name, holder, holder_start, since)
SELECT CAST($1 AS VARCHAR(64)), process, starttime, GETDATE() FROM stv_sessions WHERE process = pg_backend_pid();

-- name: named_lock_release
DELETE FROM sparkify_named_lock WHERE holder = pg_backend_pid();
