-- name: login_privileges
-- The session user is a superuser, or may become one (membership of a
-- superuser role allows SET ROLE), or is a member, direct or inherited, of a
-- predefined role that reaches the server's files or shell.
SELECT 'superuser' AS privilege
WHERE EXISTS (SELECT 1 FROM pg_roles r
              WHERE r.rolsuper AND pg_has_role(session_user, r.oid, 'MEMBER'))
UNION ALL
SELECT p.name FROM (VALUES ('pg_execute_server_program'),
                           ('pg_read_server_files'),
                           ('pg_write_server_files')) AS p(name)
WHERE CASE WHEN EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p.name)
           THEN pg_has_role(session_user, p.name, 'MEMBER') ELSE false END;
