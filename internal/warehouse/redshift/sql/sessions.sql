-- Redshift's sessions table (ansi/sql/sessions.sql has the columns'
-- meaning): sized columns; DISTKEY(user_id), so each user's sessions sit on
-- one slice for the per-user windows of the retention and churn queries,
-- and SORTKEY(started_at) for the per-day queries' range scans.

-- name: migration_2
CREATE TABLE IF NOT EXISTS sessions (
    user_id     VARCHAR(64)  NOT NULL,
    session_id  BIGINT       NOT NULL,
    started_at  TIMESTAMP    NOT NULL,
    ended_at    TIMESTAMP    NOT NULL,
    duration_ms BIGINT       NOT NULL,
    events      INTEGER      NOT NULL,
    plays       INTEGER      NOT NULL,
    level       VARCHAR(16),
    location    VARCHAR(256),
    user_agent  VARCHAR(512),
    PRIMARY KEY (user_id, session_id)
) DISTKEY (user_id) SORTKEY (started_at);

ALTER TABLE users ADD COLUMN cancelled_at TIMESTAMP;

-- A warehouse loaded before this migration keeps its staged events: its
-- sessions and cancellations are built from them here, as
-- transform_sessions and transform_users_cancelled would.
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
