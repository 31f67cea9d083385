COPY "tmp_copy_songs"
FROM 's3://stage/dwh/sparkify/load-1/manifests/songs.manifest'
IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
FORMAT AS JSON 'auto ignorecase'
MANIFEST
MAXERROR 1
COMPUPDATE OFF
STATUPDATE OFF;

COPY "tmp_copy_events" ("artist", "auth", "firstname", "gender", "iteminsession", "lastname", "length", "level", "location", "method", "page", "registration", "sessionid", "song", "status", "ts", "useragent", "userid")
FROM 's3://stage/dwh/sparkify/load-1/manifests/logs-gzip.manifest'
IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
FORMAT AS JSON 's3://stage/dwh/sparkify/jsonpaths/events-v1.json'
MANIFEST
GZIP
MAXERROR 1
COMPUPDATE OFF
STATUPDATE OFF;
