-- The warehouse schema, as numbered migrations. Each block runs once, in
-- order; sparkify_schema records the version reached. Types here are the
-- portable ones DuckDB and PostgreSQL share; Redshift overrides them.

-- name: migration_1
CREATE TABLE IF NOT EXISTS sparkify_schema (
    version    INTEGER   NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- One row per load attempt that did something: succeeded or failed.
CREATE TABLE IF NOT EXISTS sparkify_runs (
    load_id        BIGINT    NOT NULL,
    status         VARCHAR   NOT NULL,  -- succeeded | failed
    mode           VARCHAR   NOT NULL,  -- incremental | full-refresh
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP NOT NULL,
    duration_ms    BIGINT    NOT NULL,
    songs_uri      VARCHAR,
    logs_uri       VARCHAR,
    files_loaded   INTEGER   NOT NULL,
    lines_read     BIGINT    NOT NULL,
    lines_loaded   BIGINT    NOT NULL,
    lines_rejected BIGINT    NOT NULL,
    summary        VARCHAR,             -- JSON: per source, per table, new fields, checks
    error          VARCHAR
);

-- The current version of every loaded file: what incremental loads compare.
CREATE TABLE IF NOT EXISTS sparkify_files (
    file_id     BIGINT  NOT NULL,
    kind        VARCHAR NOT NULL,       -- song | log
    uri         VARCHAR NOT NULL,
    size        BIGINT  NOT NULL,
    version     VARCHAR NOT NULL,       -- quick-check token: mtime+size, or the S3 ETag
    fingerprint VARCHAR NOT NULL,       -- content hash (xxh3-128) or ETag
    lines       BIGINT  NOT NULL,
    loaded      BIGINT  NOT NULL,
    rejected    BIGINT  NOT NULL,
    load_id     BIGINT  NOT NULL
);

-- Every input line that was not loaded, and why.
CREATE TABLE IF NOT EXISTS sparkify_rejects (
    load_id BIGINT  NOT NULL,
    kind    VARCHAR NOT NULL,
    uri     VARCHAR NOT NULL,
    line_no BIGINT  NOT NULL,
    reason  VARCHAR NOT NULL,
    raw     VARCHAR
);

-- Data-quality results, stored with the run that produced them.
CREATE TABLE IF NOT EXISTS sparkify_checks (
    load_id  BIGINT  NOT NULL,
    name     VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,          -- error | warn
    status   VARCHAR NOT NULL,          -- pass | fail | warn
    observed VARCHAR,
    message  VARCHAR
);

-- Staging is the raw layer: every loaded record with its file and line, so
-- the star can be rebuilt, backfilled and audited without the sources.
-- Column names are the original project's (folded to lower case).
CREATE TABLE IF NOT EXISTS staging_events (
    artist        VARCHAR,
    auth          VARCHAR,
    firstname     VARCHAR,
    gender        VARCHAR,
    iteminsession INTEGER,
    lastname      VARCHAR,
    length        DOUBLE PRECISION,
    level         VARCHAR,
    location      VARCHAR,
    method        VARCHAR,
    page          VARCHAR,
    registration  DOUBLE PRECISION,
    sessionid     BIGINT,
    song          VARCHAR,
    status        INTEGER,
    ts            BIGINT,
    useragent     VARCHAR,
    userid        VARCHAR,
    start_time    TIMESTAMP,            -- ts as a UTC timestamp, millisecond precision
    event_id      BIGINT,               -- stable id of the event (see docs/schema.md)
    load_id       BIGINT,
    file_id       BIGINT,
    line_no       BIGINT,
    extra         VARCHAR               -- JSON object of fields the schema does not know
);

CREATE TABLE IF NOT EXISTS staging_songs (
    num_songs        INTEGER,
    artist_id        VARCHAR,
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    artist_location  VARCHAR,
    artist_name      VARCHAR,
    song_id          VARCHAR,
    title            VARCHAR,
    duration         DOUBLE PRECISION,
    year             INTEGER,
    load_id          BIGINT,
    file_id          BIGINT,
    line_no          BIGINT,
    extra            VARCHAR
);

CREATE TABLE IF NOT EXISTS songplays (
    songplay_id BIGINT    NOT NULL,
    start_time  TIMESTAMP NOT NULL,
    user_id     VARCHAR   NOT NULL,
    level       VARCHAR,
    song_id     VARCHAR,
    artist_id   VARCHAR,
    session_id  BIGINT,
    location    VARCHAR,
    user_agent  VARCHAR,
    song_title  VARCHAR,                -- the event's own song, artist and length:
    artist_name VARCHAR,                -- what was played even when the catalog
    song_length DOUBLE PRECISION,       -- does not know the song
    load_id     BIGINT    NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    user_id    VARCHAR NOT NULL,
    first_name VARCHAR,
    last_name  VARCHAR,
    gender     VARCHAR,
    level      VARCHAR,
    last_seen  TIMESTAMP                -- when the event that gave these values happened
);

CREATE TABLE IF NOT EXISTS songs (
    song_id     VARCHAR NOT NULL,
    title       VARCHAR,
    artist_id   VARCHAR,
    year        INTEGER,
    duration    DOUBLE PRECISION,
    artist_name VARCHAR                 -- the artist name of the song's own file, used to match plays
);

CREATE TABLE IF NOT EXISTS artists (
    artist_id VARCHAR NOT NULL,
    name      VARCHAR,
    location  VARCHAR,
    latitude  DOUBLE PRECISION,
    longitude DOUBLE PRECISION
);

CREATE TABLE IF NOT EXISTS time (
    start_time TIMESTAMP NOT NULL,
    hour       INTEGER,
    day        INTEGER,
    week       INTEGER,
    month      INTEGER,
    year       INTEGER,
    weekday    INTEGER
);

-- One row per user per period spent at one level; valid_to is NULL for the
-- current period.
CREATE TABLE IF NOT EXISTS user_levels (
    user_id    VARCHAR   NOT NULL,
    level      VARCHAR   NOT NULL,
    valid_from TIMESTAMP NOT NULL,
    valid_to   TIMESTAMP
);

-- The catalog song a play is credited to: title, artist name and duration
-- all equal; when several songs share them, the smallest song_id.
CREATE VIEW song_match AS
SELECT title, artist_name, duration, song_id, artist_id
FROM (
    SELECT title, artist_name, duration, song_id, artist_id,
           ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS pick
    FROM songs
) s
WHERE pick = 1;

-- name: schema_version
-- The last version applied in the range [$1, $2): portable migrations are
-- 1..999, an engine's own 1001..
SELECT COALESCE(MAX(version) - $1, 0) FROM sparkify_schema WHERE version > $1 AND version < $2;

-- name: schema_record_version
INSERT INTO sparkify_schema (version, applied_at) VALUES ($1, $2);

-- name: schema_has_version_table
SELECT COUNT(*) FROM information_schema.tables
WHERE table_name = 'sparkify_schema' AND table_schema = current_schema();

-- name: schema_drop
DROP VIEW IF EXISTS song_match;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS user_levels;
DROP TABLE IF EXISTS time;
DROP TABLE IF EXISTS artists;
DROP TABLE IF EXISTS songs;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS songplays;
DROP TABLE IF EXISTS staging_songs;
DROP TABLE IF EXISTS staging_events;
DROP TABLE IF EXISTS sparkify_checks;
DROP TABLE IF EXISTS sparkify_rejects;
DROP TABLE IF EXISTS sparkify_files;
DROP TABLE IF EXISTS sparkify_runs;
DROP TABLE IF EXISTS sparkify_schema;
