-- name: login_privileges
-- Redshift has no server-file roles; a superuser (pg_user.usesuper, which
-- every user may read) bypasses every permission check.
SELECT 'superuser' AS privilege FROM pg_user
WHERE usename = session_user AND usesuper;
