-- Staging by COPY. Each COPY fills a temporary raw table from the objects a
-- manifest lists; SQL then checks what sparkify's Go decoder checks for the
-- other engines, computes what it computes (event_id, start_time) and
-- appends the good rows to staging, tagged with the load (and, for logs,
-- the file). All of it runs inside the load's transaction.

-- copy_json is a text/template: every value in it (manifest, role ARN,
-- JSONPaths, region) arrives quoted by Literal. Every COPY reads a MANIFEST,
-- even for one file: COPY FROM 's3://b/key' is a key PREFIX and would also
-- read key.bak or key2. TIMEFORMAT 'epochmillisecs' would only apply to a
-- TIMESTAMP target, and ts must stay a BIGINT (it is part of event_id):
-- start_time is computed from it in copy_events_stage, to the millisecond.
-- COMPUPDATE/STATUPDATE OFF: the target is a temporary table, read once.

-- name: copy_json
COPY {{.Table}}{{if .Columns}} {{.Columns}}{{end}}
FROM {{.Manifest}}
IAM_ROLE {{.IAMRole}}
FORMAT AS JSON {{.Format}}
MANIFEST
{{- if .GZIP}}
GZIP
{{- end}}
{{- if .Region}}
REGION {{.Region}}
{{- end}}
MAXERROR {{.MaxError}}
COMPUPDATE OFF
STATUPDATE OFF

-- name: copy_events_begin
-- The fields of a log line, in the order of the JSONPaths document. The
-- fields the Go decoder requires are NOT NULL: a line without one is a COPY
-- error, reported by Redshift with its file and line.
DROP TABLE IF EXISTS tmp_copy_events;
CREATE TEMPORARY TABLE tmp_copy_events (
    artist        VARCHAR(65535),
    auth          VARCHAR(65535),
    firstname     VARCHAR(65535),
    gender        VARCHAR(65535),
    iteminsession INTEGER      NOT NULL,
    lastname      VARCHAR(65535),
    length        DOUBLE PRECISION,
    level         VARCHAR(65535)  NOT NULL,
    location      VARCHAR(65535),
    method        VARCHAR(65535),
    page          VARCHAR(65535)  NOT NULL,
    registration  DOUBLE PRECISION,
    sessionid     BIGINT       NOT NULL,
    song          VARCHAR(65535),
    status        INTEGER,
    ts            BIGINT       NOT NULL,
    useragent     VARCHAR(65535),
    userid        VARCHAR(65535)  NOT NULL,
    reject_reason VARCHAR(256)
);
-- The fields outside the schema of a local log file's events, by event_id
-- (sparkify reads the files it uploads; see copy_events_extra).
DROP TABLE IF EXISTS tmp_extra_events;
CREATE TEMPORARY TABLE tmp_extra_events (event_id BIGINT, extra VARCHAR(65535));

-- name: copy_songs_begin
-- The fields of a song record; 'auto ignorecase' matches JSON keys to these
-- names. reject_reason matches no key and stays NULL.
DROP TABLE IF EXISTS tmp_copy_songs;
CREATE TEMPORARY TABLE tmp_copy_songs (
    num_songs        INTEGER,
    artist_id        VARCHAR(65535)  NOT NULL,
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    artist_location  VARCHAR(65535),
    artist_name      VARCHAR(65535) NOT NULL,
    song_id          VARCHAR(65535)  NOT NULL,
    title            VARCHAR(65535) NOT NULL,
    duration         DOUBLE PRECISION NOT NULL,
    year             INTEGER,
    reject_reason    VARCHAR(256)
);
DROP TABLE IF EXISTS tmp_extra_songs;
CREATE TEMPORARY TABLE tmp_extra_songs (song_id VARCHAR(65535), extra VARCHAR(65535));

-- name: copy_last
-- The COPY just run in this session: its query id and rows loaded.
SELECT pg_last_copy_id(), pg_last_copy_count();

-- name: copy_errors
-- The lines a COPY rejected. filename is CHAR(256), padded.
SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_line)
FROM stl_load_errors
WHERE query = $1
ORDER BY 1, 2;

-- name: copy_file_lines
-- The records each file of a COPY held (read from the load log, per slice).
SELECT TRIM(filename), SUM(lines_scanned)
FROM stl_load_commits
WHERE query = $1
GROUP BY 1;

-- name: copy_events_validate
-- What COPY cannot check: the value rules of record.DecodeEvent.
UPDATE tmp_copy_events SET reject_reason = CASE
    WHEN ts < 0 OR ts > 4102444800000 THEN 'field ts: out of range [0, 4102444800000]'
    WHEN page = 'NextSong' AND song IS NULL THEN 'field song: missing on a NextSong event'
    WHEN page = 'NextSong' AND artist IS NULL THEN 'field artist: missing on a NextSong event'
    WHEN page = 'NextSong' AND length IS NULL THEN 'field length: missing on a NextSong event'
END;

-- name: copy_events_invalid
SELECT reject_reason, ts, userid, sessionid, iteminsession, page
FROM tmp_copy_events WHERE reject_reason IS NOT NULL
ORDER BY ts, sessionid, iteminsession;

-- name: copy_events_stage
-- event_id is record.EventID in SQL: the first 15 hex digits of
-- md5('ts|userId|sessionId|itemInSession') as a number. start_time is ts
-- as a timestamp to the millisecond (ts/1000 * INTERVAL '1 second' would
-- drop the milliseconds). $1 is the load id, $2 the log file's id, or
-- minus the load id for the rows of the load's shared COPY.
INSERT INTO staging_events (artist, auth, firstname, gender, iteminsession, lastname, length, level,
                            location, method, page, registration, sessionid, song, status, ts,
                            useragent, userid, start_time, event_id, load_id, file_id, line_no, extra)
SELECT artist, auth, firstname, gender, iteminsession, lastname, length, level,
       location, method, page, registration, sessionid, song, status, ts,
       useragent, userid,
       TIMESTAMP 'epoch' + ts * INTERVAL '0.001 second',
       STRTOL(LEFT(MD5(CAST(ts AS VARCHAR(20)) || '|' || userid || '|' || CAST(sessionid AS VARCHAR(20))
                       || '|' || CAST(iteminsession AS VARCHAR(11))), 15), 16),
       $1, $2, NULL, NULL
FROM tmp_copy_events
WHERE reject_reason IS NULL;

-- name: copy_events_mates
-- The log files staged by the same shared COPY as the loaded file $1, when
-- it was (see load_replace_file): the files of its load with no rows of
-- their own, while rows with the load's shared file id exist. Replacing $1
-- removes those rows, so these files must be staged again.
SELECT m.file_id
FROM sparkify_files f
JOIN sparkify_files m ON m.load_id = f.load_id AND m.kind = 'log' AND m.file_id <> f.file_id
LEFT JOIN (SELECT DISTINCT s.file_id
           FROM staging_events s
           JOIN sparkify_files g ON g.file_id = $1 AND s.load_id = g.load_id) own
       ON own.file_id = m.file_id
WHERE f.file_id = $1 AND f.kind = 'log' AND own.file_id IS NULL
  AND EXISTS (SELECT 1 FROM staging_events s JOIN sparkify_files g
              ON g.file_id = $1 AND s.load_id = g.load_id AND s.file_id = -g.load_id)
  AND NOT EXISTS (SELECT 1 FROM staging_events WHERE file_id = $1)
ORDER BY m.file_id;

-- name: copy_events_extra
-- COPY reads only the known fields: the others, found by sparkify in a
-- local file it uploaded, are kept in extra as on the other engines. $1 is
-- the load, $2 the file id the rows carry.
UPDATE staging_events SET extra = x.extra
FROM tmp_extra_events x
WHERE staging_events.load_id = $1 AND staging_events.file_id = $2
  AND staging_events.event_id = x.event_id;

DELETE FROM tmp_extra_events;

-- name: copy_events_end
DELETE FROM tmp_copy_events;

-- name: copy_songs_validate
-- The value rules of record.DecodeSong that NOT NULL does not cover.
UPDATE tmp_copy_songs SET reject_reason = CASE
    WHEN song_id = '' THEN 'field song_id: is empty'
    WHEN artist_id = '' THEN 'field artist_id: is empty'
    WHEN year < 0 OR year > 9999 THEN 'field year: out of range [0, 9999]'
END;

-- name: copy_songs_invalid
SELECT reject_reason, song_id, title
FROM tmp_copy_songs WHERE reject_reason IS NOT NULL
ORDER BY song_id, title;

-- name: copy_songs_replaced
-- The changed song files of this load (see load_replace): they get a COPY
-- of their own, whose records supersede the old versions'.
SELECT DISTINCT uri FROM tmp_replaced_songs;

-- name: copy_songs_supersede
-- Run for the COPY of changed song files only. A song row does not say
-- which file it came from, so a new version's record supersedes the staged
-- records of the same song_id from the loads that staged the old version
-- (their keys are remembered so the plays matched to them are matched
-- again). Records of other files and loads stay staged: when files
-- disagree about a song, the transform picks the record that sorts first
-- over all of them, as on the other engines.
INSERT INTO tmp_song_keys (song_id, artist_id, title, artist_name, duration)
SELECT song_id, artist_id, title, artist_name, duration FROM staging_songs
WHERE load_id IN (SELECT load_id FROM tmp_replaced_songs)
  AND song_id IN (SELECT song_id FROM tmp_copy_songs WHERE reject_reason IS NULL);

DELETE FROM staging_songs
WHERE load_id IN (SELECT load_id FROM tmp_replaced_songs)
  AND song_id IN (SELECT song_id FROM tmp_copy_songs WHERE reject_reason IS NULL);

-- name: copy_songs_stage
-- $1 is the load id.
INSERT INTO staging_songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location,
                           artist_name, song_id, title, duration, year, load_id, file_id, line_no, extra)
SELECT num_songs, artist_id, artist_latitude, artist_longitude, artist_location,
       artist_name, song_id, title, duration, year, $1, NULL, NULL, NULL
FROM tmp_copy_songs
WHERE reject_reason IS NULL;

-- name: copy_songs_extra
-- As copy_events_extra, for the song files of one COPY, by song_id. $1 is
-- the load.
UPDATE staging_songs SET extra = x.extra
FROM tmp_extra_songs x
WHERE staging_songs.load_id = $1 AND staging_songs.song_id = x.song_id;

DELETE FROM tmp_extra_songs;

-- name: copy_songs_end
DELETE FROM tmp_copy_songs;

-- name: copy_clock
-- The cluster's clock (UTC) before a session's first COPY: the load-log
-- rows of a failed COPY are looked for after it.
SELECT GETDATE();

-- name: copy_errors_of_failed
-- After a COPY failed (its transaction is aborted, but stl_load_errors is
-- a log that keeps the rows of a rolled-back COPY), another connection
-- reads every line it rejected: the latest COPY with errors of session $1
-- after its last completed COPY $2, started since $3 (the session's first
-- COPY: a process id can be reused by a later session).
SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_line)
FROM stl_load_errors
WHERE query = (SELECT MAX(query) FROM stl_load_errors
               WHERE session = $1 AND query > $2 AND starttime >= $3)
ORDER BY 1, 2;
