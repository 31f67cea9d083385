-- Listening sessions and cancellations (issue #16): the sessions table,
-- users.cancelled_at, and the transform blocks that keep them, run after
-- users and user_levels in the load's transaction.

-- name: migration_2
-- sessions: one row per (user_id, session_id) over the events with a
-- non-empty userId. duration_ms is ended_at - started_at, from the events'
-- ts (exact on every engine; the median session length is computed from it).
CREATE TABLE IF NOT EXISTS sessions (
    user_id     VARCHAR   NOT NULL,
    session_id  BIGINT    NOT NULL,
    started_at  TIMESTAMP NOT NULL,     -- first event's ts, UTC, ms precision
    ended_at    TIMESTAMP NOT NULL,     -- last event's ts
    duration_ms BIGINT    NOT NULL,
    events      INTEGER   NOT NULL,     -- every page
    plays       INTEGER   NOT NULL,     -- NextSong
    level       VARCHAR,                -- at the session's last event
    location    VARCHAR,
    user_agent  VARCHAR
);

-- The ts of the user's latest 'Cancellation Confirmation' event; NULL if none.
ALTER TABLE users ADD COLUMN cancelled_at TIMESTAMP;

-- name: migration_3
-- A warehouse loaded before migration 2 keeps its staged events: its
-- sessions and cancellations are built from them here, as the transform
-- blocks below would (every engine runs this block as it is).
INSERT INTO sessions (user_id, session_id, started_at, ended_at, duration_ms, events, plays,
                      level, location, user_agent)
SELECT a.userid, a.sessionid, a.started_at, a.ended_at, a.duration_ms, a.events, a.plays,
       l.level, l.location, l.useragent
FROM (
    SELECT userid, sessionid, MIN(start_time) AS started_at, MAX(start_time) AS ended_at,
           MAX(ts) - MIN(ts) AS duration_ms,
           CAST(COUNT(DISTINCT event_id) AS INTEGER) AS events,
           CAST(COUNT(DISTINCT CASE WHEN page = 'NextSong' THEN event_id END) AS INTEGER) AS plays
    FROM staging_events
    WHERE userid <> ''
    GROUP BY userid, sessionid
) a
JOIN (
    SELECT userid, sessionid, level, location, useragent,
           ROW_NUMBER() OVER (
               PARTITION BY userid, sessionid
               ORDER BY ts DESC, iteminsession DESC, level DESC NULLS LAST,
                        firstname DESC NULLS LAST, lastname DESC NULLS LAST, gender DESC NULLS LAST,
                        location DESC NULLS LAST, useragent DESC NULLS LAST
           ) AS pick
    FROM staging_events
    WHERE userid <> ''
) l ON l.userid = a.userid AND l.sessionid = a.sessionid AND l.pick = 1;

UPDATE users SET cancelled_at = c.cancelled_at
FROM (
    SELECT userid, MAX(start_time) AS cancelled_at
    FROM staging_events
    WHERE page = 'Cancellation Confirmation' AND userid <> ''
    GROUP BY userid
) c
WHERE users.user_id = c.userid;

-- name: transform_sessions_prepare
-- The sessions this load's events belong to (tmp_session_keys), and those
-- of them that exist already (tmp_sessions_slow): a session whose events
-- came in two loads. Those, and every session of a user whose events a
-- replaced file held, are recomputed from all of staging
-- (transform_sessions_slow); the others have all their events in this load
-- and are built from its rows alone (transform_sessions), without reading
-- the earlier loads' events.
DROP TABLE IF EXISTS tmp_session_keys;
CREATE TEMPORARY TABLE tmp_session_keys AS
SELECT DISTINCT userid, sessionid FROM staging_events WHERE load_id = $1 AND userid <> '';

DROP TABLE IF EXISTS tmp_sessions_slow;
CREATE TEMPORARY TABLE tmp_sessions_slow AS
SELECT k.userid, k.sessionid
FROM tmp_session_keys k
JOIN sessions s ON s.user_id = k.userid AND s.session_id = k.sessionid;

-- name: sessions_slow_count
SELECT (SELECT COUNT(*) FROM tmp_sessions_slow) + (SELECT COUNT(*) FROM tmp_replaced_events);

-- name: transform_sessions
-- sessions: one row per (userId, sessionId) over the events with a user.
-- An event staged twice counts once (by event_id). The level, location
-- and user agent are the last event's, by the order of users.level (ts,
-- itemInSession, paid before free, names), then location and user agent.
-- Here: the new sessions, from this load's rows.
DROP TABLE IF EXISTS tmp_sessions_fast;
CREATE TEMPORARY TABLE tmp_sessions_fast AS
SELECT userid, sessionid FROM tmp_session_keys
WHERE userid NOT IN (SELECT userid FROM tmp_replaced_events)
EXCEPT
SELECT userid, sessionid FROM tmp_sessions_slow;

INSERT INTO sessions (user_id, session_id, started_at, ended_at, duration_ms, events, plays,
                      level, location, user_agent)
SELECT a.userid, a.sessionid, a.started_at, a.ended_at, a.duration_ms, a.events, a.plays,
       l.level, l.location, l.useragent
FROM (
    SELECT e.userid, e.sessionid, MIN(e.start_time) AS started_at, MAX(e.start_time) AS ended_at,
           MAX(e.ts) - MIN(e.ts) AS duration_ms,
           CAST(COUNT(DISTINCT e.event_id) AS INTEGER) AS events,
           CAST(COUNT(DISTINCT CASE WHEN e.page = 'NextSong' THEN e.event_id END) AS INTEGER) AS plays
    FROM staging_events e
    JOIN tmp_sessions_fast k ON k.userid = e.userid AND k.sessionid = e.sessionid
    WHERE e.load_id = $1
    GROUP BY e.userid, e.sessionid
) a
JOIN (
    SELECT e.userid, e.sessionid, e.level, e.location, e.useragent,
           ROW_NUMBER() OVER (
               PARTITION BY e.userid, e.sessionid
               ORDER BY e.ts DESC, e.iteminsession DESC, e.level DESC NULLS LAST,
                        e.firstname DESC NULLS LAST, e.lastname DESC NULLS LAST, e.gender DESC NULLS LAST,
                        e.location DESC NULLS LAST, e.useragent DESC NULLS LAST
           ) AS pick
    FROM staging_events e
    JOIN tmp_sessions_fast k ON k.userid = e.userid AND k.sessionid = e.sessionid
    WHERE e.load_id = $1
) l ON l.userid = a.userid AND l.sessionid = a.sessionid AND l.pick = 1;

DROP TABLE IF EXISTS tmp_sessions_fast;

-- name: transform_sessions_slow
-- The sessions that exist already, and every session of the users of
-- replaced files, recomputed from all their staged events (a replaced file
-- may have held the only events of a session).
DROP TABLE IF EXISTS tmp_session_keys_slow;
CREATE TEMPORARY TABLE tmp_session_keys_slow AS
SELECT userid, sessionid FROM tmp_sessions_slow
UNION
SELECT DISTINCT userid, sessionid FROM staging_events
WHERE userid <> '' AND userid IN (SELECT userid FROM tmp_replaced_events);

DELETE FROM sessions WHERE user_id IN (SELECT userid FROM tmp_replaced_events);

DELETE FROM sessions USING tmp_session_keys_slow k
WHERE k.userid = sessions.user_id AND k.sessionid = sessions.session_id;

INSERT INTO sessions (user_id, session_id, started_at, ended_at, duration_ms, events, plays,
                      level, location, user_agent)
SELECT a.userid, a.sessionid, a.started_at, a.ended_at, a.duration_ms, a.events, a.plays,
       l.level, l.location, l.useragent
FROM (
    SELECT e.userid, e.sessionid, MIN(e.start_time) AS started_at, MAX(e.start_time) AS ended_at,
           MAX(e.ts) - MIN(e.ts) AS duration_ms,
           CAST(COUNT(DISTINCT e.event_id) AS INTEGER) AS events,
           CAST(COUNT(DISTINCT CASE WHEN e.page = 'NextSong' THEN e.event_id END) AS INTEGER) AS plays
    FROM staging_events e
    JOIN tmp_session_keys_slow k ON k.userid = e.userid AND k.sessionid = e.sessionid
    GROUP BY e.userid, e.sessionid
) a
JOIN (
    SELECT e.userid, e.sessionid, e.level, e.location, e.useragent,
           ROW_NUMBER() OVER (
               PARTITION BY e.userid, e.sessionid
               ORDER BY e.ts DESC, e.iteminsession DESC, e.level DESC NULLS LAST,
                        e.firstname DESC NULLS LAST, e.lastname DESC NULLS LAST, e.gender DESC NULLS LAST,
                        e.location DESC NULLS LAST, e.useragent DESC NULLS LAST
           ) AS pick
    FROM staging_events e
    JOIN tmp_session_keys_slow k ON k.userid = e.userid AND k.sessionid = e.sessionid
) l ON l.userid = a.userid AND l.sessionid = a.sessionid AND l.pick = 1;

DROP TABLE IF EXISTS tmp_session_keys_slow;

-- name: transform_users_cancelled_keep
-- Before transform_users writes the touched users' rows again: the
-- cancelled_at of those that move forward (not slow), kept in
-- tmp_cancelled.
DROP TABLE IF EXISTS tmp_cancelled;
CREATE TEMPORARY TABLE tmp_cancelled AS
SELECT user_id, cancelled_at FROM users
WHERE cancelled_at IS NOT NULL
  AND user_id IN (SELECT userid FROM tmp_users)
  AND user_id NOT IN (SELECT userid FROM tmp_users_slow);

-- name: transform_users_cancelled
-- users.cancelled_at of the users this load touched: their latest
-- 'Cancellation Confirmation'. A user moving forward has it from the kept
-- value and this load's events; a slow user from all their staged events.
UPDATE users SET cancelled_at = c.cancelled_at
FROM (
    SELECT userid, MAX(cancelled_at) AS cancelled_at
    FROM (
        SELECT user_id AS userid, cancelled_at FROM tmp_cancelled
        UNION ALL
        SELECT userid, start_time FROM staging_events
        WHERE load_id = $1 AND page = 'Cancellation Confirmation' AND userid <> ''
          AND userid NOT IN (SELECT userid FROM tmp_users_slow)
    ) k
    GROUP BY userid
) c
WHERE users.user_id = c.userid;

DROP TABLE IF EXISTS tmp_cancelled;

-- name: transform_users_cancelled_slow
-- The slow users' cancelled_at, from all their staged events.
UPDATE users SET cancelled_at = c.cancelled_at
FROM (
    SELECT userid, MAX(start_time) AS cancelled_at
    FROM staging_events
    WHERE page = 'Cancellation Confirmation' AND userid IN (SELECT userid FROM tmp_users_slow)
    GROUP BY userid
) c
WHERE users.user_id = c.userid;
