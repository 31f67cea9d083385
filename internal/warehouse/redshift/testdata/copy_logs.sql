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
