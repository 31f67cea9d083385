COPY "tmp_copy_songs"
FROM 's3://my-stage/stage/sparkify/load-7/manifests/songs.manifest'
IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
FORMAT AS JSON 'auto ignorecase'
MANIFEST
MAXERROR 1
COMPUPDATE OFF
STATUPDATE OFF;
