-- How users listen, stay and leave (issue #16): sessions, weekly retention
-- cohorts, churn and active users. Days and weeks are UTC. A day number is
-- FLOOR(epoch seconds / 86400) (1970-01-01 is day 0, a Thursday), so day
-- and week arithmetic is integer arithmetic on every engine; ISO weeks
-- start on Monday: week number FLOOR((day + 3) / 7).

-- name: sessions
-- description: Sessions per day (by the day they start), with plays per session and the median session length in minutes.
-- params: from to level
-- The median of an even count is the mean of the two middle lengths; the
-- middle rows are those whose position p (1-based, by length) has 2p in
-- [n, n + 2]. level keeps the sessions that ended at that level.
SELECT day,
       COUNT(*) AS sessions,
       CAST(SUM(plays) AS DOUBLE PRECISION) / COUNT(*) AS plays_per_session,
       CAST(SUM(CASE WHEN 2 * pos BETWEEN n AND n + 2 THEN duration_ms ELSE 0 END) AS DOUBLE PRECISION)
           / (60000 * SUM(CASE WHEN 2 * pos BETWEEN n AND n + 2 THEN 1 ELSE 0 END)) AS median_minutes
FROM (
    SELECT CAST(CAST(started_at AS DATE) AS VARCHAR) AS day, plays, duration_ms,
           ROW_NUMBER() OVER (PARTITION BY CAST(started_at AS DATE) ORDER BY duration_ms) AS pos,
           COUNT(*) OVER (PARTITION BY CAST(started_at AS DATE)) AS n
    FROM sessions
    WHERE (CAST($1 AS DATE) IS NULL OR CAST(started_at AS DATE) >= CAST($1 AS DATE))
      AND (CAST($2 AS DATE) IS NULL OR CAST(started_at AS DATE) <= CAST($2 AS DATE))
      AND (CAST($3 AS VARCHAR) IS NULL OR level = CAST($3 AS VARCHAR))
) s
GROUP BY day
ORDER BY day;

-- name: retention
-- description: Weekly cohorts by the ISO week (Monday, UTC) of a user's first play: the share of each cohort that played in each later week.
-- A cohort has a row for every later week in which anyone played (0 active
-- users included); week_offset 0 is the cohort's own week, where every
-- user of the cohort is active.
WITH plays_by_week AS (
    SELECT DISTINCT user_id,
           CAST(FLOOR((FLOOR(EXTRACT(EPOCH FROM start_time) / 86400) + 3) / 7) AS BIGINT) AS week_no,
           CAST(CAST(DATE_TRUNC('week', start_time) AS DATE) AS VARCHAR) AS week_start
    FROM songplays
), cohorts AS (
    SELECT f.week_no, w.week_start, COUNT(*) AS users
    FROM (SELECT user_id, MIN(week_no) AS week_no FROM plays_by_week GROUP BY user_id) f
    JOIN (SELECT DISTINCT week_no, week_start FROM plays_by_week) w ON w.week_no = f.week_no
    GROUP BY f.week_no, w.week_start
), active AS (
    SELECT f.week_no AS cohort_no, p.week_no, COUNT(*) AS active_users
    FROM (SELECT user_id, MIN(week_no) AS week_no FROM plays_by_week GROUP BY user_id) f
    JOIN plays_by_week p ON p.user_id = f.user_id
    GROUP BY f.week_no, p.week_no
)
SELECT c.week_start AS cohort_week, c.users, w.week_no - c.week_no AS week_offset,
       COALESCE(a.active_users, 0) AS active_users,
       CAST(COALESCE(a.active_users, 0) AS DOUBLE PRECISION) / c.users AS share
FROM cohorts c
JOIN (SELECT DISTINCT week_no FROM plays_by_week) w ON w.week_no >= c.week_no
LEFT JOIN active a ON a.cohort_no = c.week_no AND a.week_no = w.week_no
ORDER BY cohort_week, week_offset;

-- name: churn
-- description: Cancellations per day (users with a Cancellation Confirmation, split by their level then), with Submit Downgrade and Submit Upgrade events.
-- params: from to
-- Read from staging_events (the raw layer), each event once by event_id; a
-- user who cancels twice in a day counts once, at the level of the later
-- cancellation.
WITH cancels AS (
    SELECT day, COUNT(*) AS cancellations,
           CAST(SUM(CASE WHEN level = 'paid' THEN 1 ELSE 0 END) AS BIGINT) AS paid,
           CAST(SUM(CASE WHEN level = 'free' THEN 1 ELSE 0 END) AS BIGINT) AS free
    FROM (
        SELECT CAST(CAST(start_time AS DATE) AS VARCHAR) AS day, level,
               ROW_NUMBER() OVER (PARTITION BY userid, CAST(start_time AS DATE)
                                  ORDER BY ts DESC, iteminsession DESC, sessionid DESC,
                                           level DESC NULLS LAST) AS pick
        FROM staging_events
        WHERE page = 'Cancellation Confirmation' AND userid <> ''
    ) c
    WHERE pick = 1
    GROUP BY day
), changes AS (
    SELECT day,
           CAST(SUM(CASE WHEN page = 'Submit Downgrade' THEN 1 ELSE 0 END) AS BIGINT) AS downgrades,
           CAST(SUM(CASE WHEN page = 'Submit Upgrade' THEN 1 ELSE 0 END) AS BIGINT) AS upgrades
    FROM (
        SELECT DISTINCT event_id, page, CAST(CAST(start_time AS DATE) AS VARCHAR) AS day
        FROM staging_events
        WHERE page IN ('Submit Downgrade', 'Submit Upgrade') AND userid <> ''
    ) e
    GROUP BY day
), days AS (
    SELECT day FROM cancels
    UNION
    SELECT day FROM changes
)
SELECT d.day,
       COALESCE(c.cancellations, 0) AS cancellations,
       COALESCE(c.paid, 0) AS paid,
       COALESCE(c.free, 0) AS free,
       COALESCE(g.downgrades, 0) AS downgrades,
       COALESCE(g.upgrades, 0) AS upgrades
FROM days d
LEFT JOIN cancels c ON c.day = d.day
LEFT JOIN changes g ON g.day = d.day
WHERE (CAST($1 AS DATE) IS NULL OR CAST(d.day AS DATE) >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR CAST(d.day AS DATE) <= CAST($2 AS DATE))
ORDER BY d.day;

-- name: engagement
-- description: Users who played on each day, and in the 7 and 30 days up to it (trailing, the day included).
-- params: from to
-- One row per day with plays; the trailing windows count plays before
-- from as well.
WITH user_days AS (
    SELECT DISTINCT user_id,
           CAST(FLOOR(EXTRACT(EPOCH FROM start_time) / 86400) AS BIGINT) AS day_no,
           CAST(start_time AS DATE) AS day
    FROM songplays
), days AS (
    SELECT DISTINCT day_no, day FROM user_days
)
SELECT CAST(d.day AS VARCHAR) AS day,
       COUNT(DISTINCT CASE WHEN u.day_no = d.day_no THEN u.user_id END) AS daily_active_users,
       COUNT(DISTINCT CASE WHEN u.day_no > d.day_no - 7 THEN u.user_id END) AS weekly_active_users,
       COUNT(DISTINCT u.user_id) AS monthly_active_users
FROM days d
JOIN user_days u ON u.day_no <= d.day_no AND u.day_no > d.day_no - 30
WHERE (CAST($1 AS DATE) IS NULL OR d.day >= CAST($1 AS DATE))
  AND (CAST($2 AS DATE) IS NULL OR d.day <= CAST($2 AS DATE))
GROUP BY d.day, d.day_no
ORDER BY d.day;
