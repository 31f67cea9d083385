-- DuckDB overrides of the portable transform.

-- name: transform_songplays
-- As the portable block, with DuckDB's explicit ANTI JOIN instead of
-- correlated NOT EXISTS (which DuckDB plans as delim joins that copy every
-- candidate row): the same rows, without the copies. The plays that exist
-- already are found first (songplays_seen), so songplays is only scanned
-- (an anti join with songplays would hash all of it).
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM staging_events e
ANTI JOIN tmp_dup d ON d.event_id = e.event_id
ANTI JOIN tmp_seen p ON p.songplay_id = e.event_id
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.load_id = $1 AND e.page = 'NextSong' AND e.userid <> '';

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM (
    SELECT event_id, start_time, userid, level, sessionid, location, useragent, song, artist, length,
           ROW_NUMBER() OVER (
               PARTITION BY event_id
               ORDER BY load_id, level NULLS FIRST, song NULLS FIRST, artist NULLS FIRST,
                        length NULLS FIRST, location NULLS FIRST, useragent NULLS FIRST, file_id, line_no
           ) AS pick
    FROM staging_events
    WHERE load_id = $1 AND event_id IN (SELECT event_id FROM tmp_dup)
      AND page = 'NextSong' AND userid <> ''
) e
ANTI JOIN tmp_seen p ON p.songplay_id = e.event_id
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.pick = 1;

-- name: transform_songplays_first
-- As the portable block, with an explicit ANTI JOIN (see
-- transform_songplays).
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM staging_events e
ANTI JOIN tmp_dup d ON d.event_id = e.event_id
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.load_id = $1 AND e.page = 'NextSong' AND e.userid <> '';

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id,
                       location, user_agent, song_title, artist_name, song_length, load_id)
SELECT e.event_id, e.start_time, e.userid, e.level, m.song_id, m.artist_id, e.sessionid,
       e.location, e.useragent, e.song, e.artist, e.length, $1
FROM (
    SELECT event_id, start_time, userid, level, sessionid, location, useragent, song, artist, length,
           ROW_NUMBER() OVER (
               PARTITION BY event_id
               ORDER BY load_id, level NULLS FIRST, song NULLS FIRST, artist NULLS FIRST,
                        length NULLS FIRST, location NULLS FIRST, useragent NULLS FIRST, file_id, line_no
           ) AS pick
    FROM staging_events
    WHERE load_id = $1 AND event_id IN (SELECT event_id FROM tmp_dup)
      AND page = 'NextSong' AND userid <> ''
) e
LEFT JOIN tmp_match m
       ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.pick = 1;

-- name: transform_time
-- As the portable block, with an ANTI JOIN.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT n.start_time,
       CAST(EXTRACT(HOUR FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(DAY FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(WEEK FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(MONTH FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(YEAR FROM n.start_time) AS INTEGER),
       CAST(EXTRACT(DOW FROM n.start_time) AS INTEGER)
FROM (SELECT DISTINCT start_time FROM songplays WHERE load_id = $1) n
ANTI JOIN time t ON t.start_time = n.start_time;
