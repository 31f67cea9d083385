// Package reliability holds sparkify's reliability suite: tests that try to
// break a load and check that the guarantees of the README ("Loading:
// incremental, atomic, nothing lost") hold anyway, on DuckDB and PostgreSQL.
//
//   - hostile input: malformed, odd and adversarial files, each line either
//     loaded or rejected with file, line and reason;
//   - crash safety: the built binary killed with SIGKILL at known steps of a
//     load, between steps and inside staging and the transform (through the
//     test-only SPARKIFY_TEST_PAUSE hook), and at random moments, then
//     rerun: the star equals that of an uninterrupted load;
//   - concurrency: two loads on one warehouse at once;
//   - faults: the PostgreSQL server stopped mid-load, a read-only or full
//     disk under the DuckDB file, an unreadable input file;
//   - secrets: no command prints, serves or stores a password.
//
// The tests count what they tried (cases, kills, commands) and, with
// SPARKIFY_TEST_REPORT naming a file, append one "reliability: ..." line
// per count to it; scripts/test.sh (CI's test command) prints that file
// after 'go test', so the counts show without -v.
//
// Everything is in _test.go files; this file only documents the package.
// The long variants (more data, more kill points) run with
// SPARKIFY_LONG_TESTS=1.
package reliability
