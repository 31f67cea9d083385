-- The baseline: the fastest hand-written DuckDB SQL for sparkify's star
-- schema, with the same semantics: read_json into staging, then CREATE
-- TABLE ... AS SELECT for each star table. No key constraints,
-- preserve_insertion_order off, the same memory limit as sparkify.
-- {{SONGS}}, {{LOGS}}, {{THREADS}} and {{MEMORY}} are
-- filled in by the harness.
SET threads = {{THREADS}};
SET preserve_insertion_order = false;
SET memory_limit = '{{MEMORY}}';

CREATE TABLE staging_events AS
SELECT *, ('0x' || left(md5(ts::VARCHAR || '|' || userId || '|' || sessionId::VARCHAR || '|' || itemInSession::VARCHAR), 15))::BIGINT AS event_id
FROM read_json('{{LOGS}}/**/*.json', format = 'newline_delimited', columns = {
    artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR',
    itemInSession: 'INTEGER', lastName: 'VARCHAR', length: 'DOUBLE', level: 'VARCHAR',
    location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR', registration: 'DOUBLE',
    sessionId: 'BIGINT', song: 'VARCHAR', status: 'INTEGER', ts: 'BIGINT',
    userAgent: 'VARCHAR', userId: 'VARCHAR'});

CREATE TABLE staging_songs AS
SELECT * FROM read_json('{{SONGS}}/**/*.json', format = 'auto', columns = {
    num_songs: 'INTEGER', artist_id: 'VARCHAR', artist_latitude: 'DOUBLE',
    artist_longitude: 'DOUBLE', artist_location: 'VARCHAR', artist_name: 'VARCHAR',
    song_id: 'VARCHAR', title: 'VARCHAR', duration: 'DOUBLE', year: 'INTEGER'});

-- songs: one per song_id, the first by (title, artist_id, duration, year, artist_name).
CREATE TABLE songs AS
SELECT song_id, title, artist_id, NULLIF(year, 0) AS year, duration, artist_name
FROM staging_songs
QUALIFY row_number() OVER (PARTITION BY song_id ORDER BY title, artist_id, duration, year NULLS LAST, artist_name) = 1;

-- artists: the most complete record, then name, location, lat, lon.
CREATE TABLE artists AS
SELECT artist_id, artist_name AS name, NULLIF(artist_location, '') AS location,
       artist_latitude AS latitude, artist_longitude AS longitude
FROM staging_songs
QUALIFY row_number() OVER (PARTITION BY artist_id ORDER BY
    NULLIF(artist_location, '') IS NULL, (artist_latitude IS NULL OR artist_longitude IS NULL),
    artist_name, artist_location NULLS LAST, artist_latitude NULLS LAST, artist_longitude NULLS LAST) = 1;

-- songplays: one per NextSong event with a user (an event in two files is
-- one play: only ids seen twice pay for the window), exact title + artist +
-- length match.
CREATE TEMP TABLE dup AS
SELECT event_id FROM staging_events WHERE page = 'NextSong' AND userId <> '' GROUP BY event_id HAVING count(*) > 1;

CREATE TABLE songplays AS
WITH m AS (
    SELECT title, artist_name, duration, min(song_id) AS song_id, arg_min(artist_id, song_id) AS artist_id
    FROM songs GROUP BY title, artist_name, duration
), e AS (
    SELECT * FROM staging_events
    WHERE page = 'NextSong' AND userId <> '' AND event_id NOT IN (SELECT event_id FROM dup)
    UNION ALL
    (SELECT * FROM staging_events
     WHERE page = 'NextSong' AND userId <> '' AND event_id IN (SELECT event_id FROM dup)
     QUALIFY row_number() OVER (PARTITION BY event_id) = 1)
)
SELECT e.event_id AS songplay_id, epoch_ms(e.ts) AS start_time, e.userId AS user_id, e.level, m.song_id, m.artist_id,
       e.sessionId AS session_id, e.location, e.userAgent AS user_agent,
       e.song AS song_title, e.artist AS artist_name, e.length AS song_length
FROM e LEFT JOIN m ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length;

-- time: one row per distinct play timestamp.
CREATE TABLE time AS
SELECT start_time, hour(start_time) AS hour, day(start_time) AS day, week(start_time) AS week,
       month(start_time) AS month, year(start_time) AS year, dayofweek(start_time) AS weekday
FROM (SELECT DISTINCT start_time FROM songplays);

-- users: the latest event by (ts, itemInSession, sessionId, level, names):
-- the latest ts by aggregate, then order only the events at that ts.
CREATE TABLE users AS
SELECT e.userId AS user_id, e.firstName AS first_name, e.lastName AS last_name, e.gender, e.level,
       epoch_ms(e.ts) AS last_seen
FROM staging_events e
JOIN (SELECT userId, max(ts) AS ts FROM staging_events WHERE userId <> '' GROUP BY userId) l
  ON l.userId = e.userId AND l.ts = e.ts
QUALIFY row_number() OVER (PARTITION BY e.userId ORDER BY e.itemInSession DESC, e.sessionId DESC,
    e.level DESC NULLS LAST, e.firstName DESC NULLS LAST, e.lastName DESC NULLS LAST, e.gender DESC NULLS LAST) = 1;

-- user_levels: periods at one level; users with one level need no window.
CREATE TEMP TABLE span AS
SELECT userId, min(level) AS level, min(ts) AS first_ts, count(DISTINCT level) AS levels
FROM staging_events WHERE userId <> '' AND level IS NOT NULL GROUP BY userId;

CREATE TABLE user_levels AS
SELECT userId AS user_id, level, epoch_ms(first_ts) AS valid_from, CAST(NULL AS TIMESTAMP) AS valid_to
FROM span WHERE levels = 1
UNION ALL
SELECT userId, level, epoch_ms(ts), epoch_ms(lead(ts) OVER (PARTITION BY userId ORDER BY seq))
FROM (
    SELECT userId, level, ts,
           lag(level) OVER w AS prev, row_number() OVER w AS seq
    FROM staging_events
    WHERE level IS NOT NULL AND userId IN (SELECT userId FROM span WHERE levels > 1)
    WINDOW w AS (PARTITION BY userId ORDER BY ts, itemInSession, sessionId, level NULLS FIRST,
                 firstName NULLS FIRST, lastName NULLS FIRST, gender NULLS FIRST)
)
WHERE prev IS NULL OR prev <> level;
