-- Redshift's sessions table (ansi/sql/sessions.sql has the columns'
-- meaning): text columns as wide as the rest of the schema (VARCHAR(65535):
-- see docs/redshift.md, widths); DISTKEY(user_id), so each user's sessions sit on
-- one slice for the per-user windows of the retention and churn queries,
-- and SORTKEY(started_at) for the per-day queries' range scans.

-- name: migration_2
CREATE TABLE IF NOT EXISTS sessions (
    user_id     VARCHAR(65535) NOT NULL,
    session_id  BIGINT       NOT NULL,
    started_at  TIMESTAMP    NOT NULL,
    ended_at    TIMESTAMP    NOT NULL,
    duration_ms BIGINT       NOT NULL,
    events      INTEGER      NOT NULL,
    plays       INTEGER      NOT NULL,
    level       VARCHAR(65535),
    location    VARCHAR(65535),
    user_agent  VARCHAR(65535),
    PRIMARY KEY (user_id, session_id)
) DISTKEY (user_id) SORTKEY (started_at);

ALTER TABLE users ADD COLUMN cancelled_at TIMESTAMP;
