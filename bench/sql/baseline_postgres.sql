-- The PostgreSQL baseline: the same star schema with the same semantics, by
-- the same idea: COPY the raw JSON lines into a one-column table (the
-- harness streams them), parse them in SQL into staging, then INSERT ...
-- SELECT each star table. Runs in a fresh schema.

-- name: prepare
CREATE TABLE raw_events (doc text);
CREATE TABLE raw_songs (doc text);

-- name: transform
CREATE TABLE staging_events AS
SELECT r.artist, r.auth, r."firstName" AS firstname, r.gender, r."itemInSession" AS iteminsession,
       r."lastName" AS lastname, r.length, r.level, r.location, r.method, r.page, r.registration,
       r."sessionId" AS sessionid, r.song, r.status, r.ts, r."userAgent" AS useragent, r."userId" AS userid,
       ('x' || lpad(left(md5(r.ts::text || '|' || r."userId" || '|' || r."sessionId"::text || '|' || r."itemInSession"::text), 15), 16, '0'))::bit(64)::bigint AS event_id
FROM raw_events, json_to_record(doc::json) AS r(
    artist text, auth text, "firstName" text, gender text, "itemInSession" integer, "lastName" text,
    length double precision, level text, location text, method text, page text,
    registration double precision, "sessionId" bigint, song text, status integer, ts bigint,
    "userAgent" text, "userId" text);

CREATE TABLE staging_songs AS
SELECT r.* FROM raw_songs, json_to_record(doc::json) AS r(
    num_songs integer, artist_id text, artist_latitude double precision, artist_longitude double precision,
    artist_location text, artist_name text, song_id text, title text, duration double precision, year integer);

CREATE TABLE songs AS
SELECT DISTINCT ON (song_id) song_id, title, artist_id, NULLIF(year, 0) AS year, duration, artist_name
FROM staging_songs
ORDER BY song_id, title, artist_id, duration, year NULLS LAST, artist_name;

CREATE TABLE artists AS
SELECT DISTINCT ON (artist_id) artist_id, artist_name AS name, NULLIF(artist_location, '') AS location,
       artist_latitude AS latitude, artist_longitude AS longitude
FROM staging_songs
ORDER BY artist_id, NULLIF(artist_location, '') IS NULL, (artist_latitude IS NULL OR artist_longitude IS NULL),
         artist_name, artist_location NULLS LAST, artist_latitude NULLS LAST, artist_longitude NULLS LAST;

CREATE TABLE dup AS
SELECT event_id FROM staging_events WHERE page = 'NextSong' AND userid <> '' GROUP BY event_id HAVING count(*) > 1;

CREATE TABLE songplays AS
WITH m AS (
    SELECT DISTINCT ON (title, artist_name, duration) title, artist_name, duration, song_id, artist_id
    FROM songs ORDER BY title, artist_name, duration, song_id
), e AS (
    SELECT * FROM staging_events
    WHERE page = 'NextSong' AND userid <> '' AND event_id NOT IN (SELECT event_id FROM dup)
    UNION ALL
    SELECT DISTINCT ON (event_id) * FROM staging_events
    WHERE page = 'NextSong' AND userid <> '' AND event_id IN (SELECT event_id FROM dup)
)
SELECT e.event_id AS songplay_id, TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond' AS start_time,
       e.userid AS user_id, e.level, m.song_id, m.artist_id, e.sessionid AS session_id, e.location,
       e.useragent AS user_agent, e.song AS song_title, e.artist AS artist_name, e.length AS song_length
FROM e LEFT JOIN m ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length;

CREATE TABLE time AS
SELECT start_time, EXTRACT(HOUR FROM start_time)::int AS hour, EXTRACT(DAY FROM start_time)::int AS day,
       EXTRACT(WEEK FROM start_time)::int AS week, EXTRACT(MONTH FROM start_time)::int AS month,
       EXTRACT(YEAR FROM start_time)::int AS year, EXTRACT(DOW FROM start_time)::int AS weekday
FROM (SELECT DISTINCT start_time FROM songplays) t;

CREATE TABLE users AS
SELECT DISTINCT ON (e.userid) e.userid AS user_id, e.firstname AS first_name, e.lastname AS last_name,
       e.gender, e.level, TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond' AS last_seen
FROM staging_events e
JOIN (SELECT userid, max(ts) AS ts FROM staging_events WHERE userid <> '' GROUP BY userid) l
  ON l.userid = e.userid AND l.ts = e.ts
ORDER BY e.userid, e.iteminsession DESC, e.sessionid DESC, e.level DESC NULLS LAST,
         e.firstname DESC NULLS LAST, e.lastname DESC NULLS LAST, e.gender DESC NULLS LAST;

CREATE TABLE span AS
SELECT userid, min(level) AS level, min(ts) AS first_ts, count(DISTINCT level) AS levels
FROM staging_events WHERE userid <> '' AND level IS NOT NULL GROUP BY userid;

CREATE TABLE user_levels AS
SELECT userid AS user_id, level, TIMESTAMP 'epoch' + first_ts * INTERVAL '1 millisecond' AS valid_from,
       CAST(NULL AS TIMESTAMP) AS valid_to
FROM span WHERE levels = 1
UNION ALL
SELECT userid, level, TIMESTAMP 'epoch' + ts * INTERVAL '1 millisecond',
       TIMESTAMP 'epoch' + lead(ts) OVER (PARTITION BY userid ORDER BY seq) * INTERVAL '1 millisecond'
FROM (
    SELECT userid, level, ts, lag(level) OVER w AS prev, row_number() OVER w AS seq
    FROM staging_events
    WHERE level IS NOT NULL AND userid IN (SELECT userid FROM span WHERE levels > 1)
    WINDOW w AS (PARTITION BY userid ORDER BY ts, iteminsession, sessionid, level NULLS FIRST,
                 firstname NULLS FIRST, lastname NULLS FIRST, gender NULLS FIRST)
) c
WHERE prev IS NULL OR prev <> level;
