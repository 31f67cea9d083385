-- Amazon Redshift schema: the same tables and columns as the portable
-- schema (ansi/sql/schema.sql), in Redshift's dialect.
--
-- Sizes. Redshift's VARCHAR(n) counts BYTES, not characters: a name in
-- Japanese takes 3 bytes a character ("Character types",
-- https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html).
-- DuckDB and PostgreSQL take text of any length, so every column that holds
-- a value of the source data is VARCHAR(65535), Redshift's widest: every
-- line the other engines load loads here, up to that documented limit (a
-- longer value, or a JSON object over COPY's 4 MB, is a rejected line with
-- file, line and reason, never truncated). The cost: Redshift sizes some
-- query buffers by the declared width; sparkify takes it for the same
-- result on every engine (the Sparkify sample's longest value is 159 bytes).
--
-- Distribution. The analysts' queries (internal/analytics) all join
-- songplays to time on start_time, and then to songs, artists and users.
--   * songplays and time: DISTKEY(start_time) SORTKEY(start_time). The join
--     to time is local on every slice and a merge join on the sort order;
--     range filters on start_time skip blocks. The original design put
--     DISTKEY(song_id) on songplays, but most plays match no catalog song:
--     in the Udacity data ~95% of songplays.song_id are NULL, and every NULL
--     key lands on ONE slice, so that design runs on one slice.
--   * songs, artists, users, user_levels: DISTSTYLE ALL. They are small
--     (thousands to a few million rows): a copy on every node makes every
--     join to them local, whatever the fact table's key. The original's
--     DISTKEY(song_id)/DISTKEY(artist_id) would co-locate only one of them.
--   * staging_events: DISTKEY(event_id), an md5-derived id, so rows spread
--     evenly and the de-duplication window (PARTITION BY event_id) runs
--     without a redistribution. SORTKEY(load_id): every transform step reads
--     "the rows of this load", and loads append in load_id order, so zone
--     maps skip all older blocks.
--   * staging_songs: DISTKEY(song_id) for the PARTITION BY song_id that picks
--     one row per song; SORTKEY(load_id) as above.
--   * bookkeeping tables: small; Redshift's default DISTSTYLE AUTO.
-- Primary keys are declared where the transform guarantees uniqueness:
-- Redshift does not enforce them but the planner uses them.

-- name: migration_1
CREATE TABLE IF NOT EXISTS sparkify_schema (
    version    INTEGER   NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS sparkify_runs (
    load_id        BIGINT          NOT NULL,
    status         VARCHAR(16)     NOT NULL,
    mode           VARCHAR(16)     NOT NULL,
    started_at     TIMESTAMP       NOT NULL,
    finished_at    TIMESTAMP       NOT NULL,
    duration_ms    BIGINT          NOT NULL,
    songs_uri      VARCHAR(2048),
    logs_uri       VARCHAR(2048),
    files_loaded   INTEGER         NOT NULL,
    lines_read     BIGINT          NOT NULL,
    lines_loaded   BIGINT          NOT NULL,
    lines_rejected BIGINT          NOT NULL,
    summary        VARCHAR(65535),
    error          VARCHAR(65535),
    PRIMARY KEY (load_id)
);

CREATE TABLE IF NOT EXISTS sparkify_files (
    file_id     BIGINT        NOT NULL,
    kind        VARCHAR(8)    NOT NULL,
    uri         VARCHAR(2048) NOT NULL,
    size        BIGINT        NOT NULL,
    version     VARCHAR(256)  NOT NULL,
    fingerprint VARCHAR(256)  NOT NULL,
    lines       BIGINT        NOT NULL,
    loaded      BIGINT        NOT NULL,
    rejected    BIGINT        NOT NULL,
    load_id     BIGINT        NOT NULL,
    PRIMARY KEY (file_id)
);

-- "raw" is a reserved word in Redshift (ENCODE RAW): always quoted.
CREATE TABLE IF NOT EXISTS sparkify_rejects (
    load_id BIGINT        NOT NULL,
    kind    VARCHAR(8)    NOT NULL,
    uri     VARCHAR(2048) NOT NULL,
    line_no BIGINT        NOT NULL,
    reason  VARCHAR(1024) NOT NULL,
    "raw"   VARCHAR(4096)
) SORTKEY (load_id);

CREATE TABLE IF NOT EXISTS sparkify_checks (
    load_id  BIGINT        NOT NULL,
    name     VARCHAR(128)  NOT NULL,
    severity VARCHAR(16)   NOT NULL,
    status   VARCHAR(16)   NOT NULL,
    observed VARCHAR(1024),
    message  VARCHAR(4096)
);

-- line_no is NULL for rows staged by COPY (Redshift does not say which line
-- a row came from); extra is filled only for local files, which sparkify
-- reads as it uploads them (COPY reads only known fields).
CREATE TABLE IF NOT EXISTS staging_events (
    artist        VARCHAR(65535),
    auth          VARCHAR(65535),
    firstname     VARCHAR(65535),
    gender        VARCHAR(65535),
    iteminsession INTEGER,
    lastname      VARCHAR(65535),
    length        DOUBLE PRECISION,
    level         VARCHAR(65535),
    location      VARCHAR(65535),
    method        VARCHAR(65535),
    page          VARCHAR(65535),
    registration  DOUBLE PRECISION,
    sessionid     BIGINT,
    song          VARCHAR(65535),
    status        INTEGER,
    ts            BIGINT,
    useragent     VARCHAR(65535),
    userid        VARCHAR(65535),
    start_time    TIMESTAMP,
    event_id      BIGINT,
    load_id       BIGINT,
    file_id       BIGINT,
    line_no       BIGINT,
    extra         VARCHAR(65535)
) DISTKEY (event_id) SORTKEY (load_id);

-- file_id and line_no are NULL: many song files share one COPY (see
-- docs/redshift.md, "Provenance").
CREATE TABLE IF NOT EXISTS staging_songs (
    num_songs        INTEGER,
    artist_id        VARCHAR(65535),
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    artist_location  VARCHAR(65535),
    artist_name      VARCHAR(65535),
    song_id          VARCHAR(65535),
    title            VARCHAR(65535),
    duration         DOUBLE PRECISION,
    year             INTEGER,
    load_id          BIGINT,
    file_id          BIGINT,
    line_no          BIGINT,
    extra            VARCHAR(65535)
) DISTKEY (song_id) SORTKEY (load_id);

CREATE TABLE IF NOT EXISTS songplays (
    songplay_id BIGINT       NOT NULL,
    start_time  TIMESTAMP    NOT NULL,
    user_id     VARCHAR(65535)  NOT NULL,
    level       VARCHAR(65535),
    song_id     VARCHAR(65535),
    artist_id   VARCHAR(65535),
    session_id  BIGINT,
    location    VARCHAR(65535),
    user_agent  VARCHAR(65535),
    song_title  VARCHAR(65535),
    artist_name VARCHAR(65535),
    song_length DOUBLE PRECISION,
    load_id     BIGINT       NOT NULL,
    PRIMARY KEY (songplay_id)
) DISTKEY (start_time) SORTKEY (start_time);

CREATE TABLE IF NOT EXISTS users (
    user_id    VARCHAR(65535) NOT NULL,
    first_name VARCHAR(65535),
    last_name  VARCHAR(65535),
    gender     VARCHAR(65535),
    level      VARCHAR(65535),
    last_seen  TIMESTAMP,
    PRIMARY KEY (user_id)
) DISTSTYLE ALL SORTKEY (user_id);

CREATE TABLE IF NOT EXISTS songs (
    song_id     VARCHAR(65535) NOT NULL,
    title       VARCHAR(65535),
    artist_id   VARCHAR(65535),
    year        INTEGER,
    duration    DOUBLE PRECISION,
    artist_name VARCHAR(65535),
    PRIMARY KEY (song_id)
) DISTSTYLE ALL SORTKEY (song_id);

CREATE TABLE IF NOT EXISTS artists (
    artist_id VARCHAR(65535) NOT NULL,
    name      VARCHAR(65535),
    location  VARCHAR(65535),
    latitude  DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
) DISTSTYLE ALL SORTKEY (artist_id);

CREATE TABLE IF NOT EXISTS time (
    start_time TIMESTAMP NOT NULL,
    hour       INTEGER,
    day        INTEGER,
    week       INTEGER,
    month      INTEGER,
    year       INTEGER,
    weekday    INTEGER,
    PRIMARY KEY (start_time)
) DISTKEY (start_time) SORTKEY (start_time);

CREATE TABLE IF NOT EXISTS user_levels (
    user_id    VARCHAR(65535) NOT NULL,
    level      VARCHAR(65535) NOT NULL,
    valid_from TIMESTAMP   NOT NULL,
    valid_to   TIMESTAMP
) DISTSTYLE ALL SORTKEY (user_id, valid_from);

CREATE VIEW song_match AS
SELECT title, artist_name, duration, song_id, artist_id
FROM (
    SELECT title, artist_name, duration, song_id, artist_id,
           ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS pick
    FROM songs
) s
WHERE pick = 1;
