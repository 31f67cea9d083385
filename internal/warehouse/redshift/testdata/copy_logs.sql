-- Every value (manifest, role ARN, JSONPaths, region) arrives quoted by Literal.
-- TIMEFORMAT 'epochmillisecs' would only apply to a TIMESTAMP target, and
-- ts must stay a BIGINT (it is part of event_id): start_time is computed
-- from it in copy_events_stage instead, to the millisecond.
-- COMPUPDATE/STATUPDATE OFF: the target is a temporary table, read once.
COPY "tmp_copy_events" ("artist", "auth", "firstname", "gender", "iteminsession", "lastname", "length", "level", "location", "method", "page", "registration", "sessionid", "song", "status", "ts", "useragent", "userid")
FROM 's3://my-stage/stage/sparkify/load-7/manifests/log-30064771073.manifest'
IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
FORMAT AS JSON 's3://my-stage/stage/sparkify/jsonpaths/events-v1.json'
MANIFEST
GZIP
REGION 'us-west-2'
MAXERROR 11
COMPUPDATE OFF
STATUPDATE OFF;
