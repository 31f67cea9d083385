-- Privileges of the login that runs user-written SQL (sql, query, check,
-- report, serve). A read-only transaction does not stop a superuser, or a
-- member of the server-file and server-program roles, from reaching the
-- database host (COPY ... TO PROGRAM, pg_read_file, lo_import): sparkify
-- refuses such a login unless --allow-privileged is given.

-- name: login_privileges
-- One row per dangerous privilege the login holds (column: privilege).
-- An embedded engine has no logins: it is sandboxed instead (no file or
-- network access), so nothing is returned.
SELECT CAST(NULL AS VARCHAR(64)) AS privilege WHERE 1 = 0;
