#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: installs what is missing,
# starts a throwaway PostgreSQL on 127.0.0.1, checks formatting and vet, and
# runs every test. Extra arguments go to `go test` (e.g. -run Contract).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh

pgdir=$(mktemp -d /tmp/sparkify-pg.XXXXXX)
# The reliability suite appends the number of cases it tried to this file
# (internal/reliability/report_test.go); it is printed after the tests.
report=$(mktemp /tmp/sparkify-test-report.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"; rm -f "$report"' EXIT
export SPARKIFY_TEST_REPORT="$report"
eval "$(scripts/postgres.sh start "$pgdir")"
export SPARKIFY_REQUIRE_POSTGRES=1 SPARKIFY_REQUIRE_SAMPLE=1 SPARKIFY_REQUIRE_CHROMIUM=1

unformatted=$(gofmt -l cmd internal)
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
status=0
go test -count=1 -timeout 40m ./... "$@" || status=$?
if [ -s "$report" ]; then
  echo
  echo "What the reliability suite tried:"
  sort "$report"
fi
exit "$status"
