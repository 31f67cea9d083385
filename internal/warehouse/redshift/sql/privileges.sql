-- name: login_privileges
-- Redshift has no server-file roles; a superuser (pg_user.usesuper, which
-- every user may read) bypasses every permission check. CURRENT_USER, not
-- SESSION_USER, which Redshift's system information functions do not list
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_USER.html:
-- usually the session user; sparkify never changes it).
SELECT 'superuser' AS privilege FROM pg_user
WHERE usename = current_user AND usesuper;
