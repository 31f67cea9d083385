#!/usr/bin/env bash
# The benchmark in one command: starts a throwaway PostgreSQL (unless
# SPARKIFY_TEST_POSTGRES names one), then runs sparkify against the
# hand-written SQL baselines and writes bench/RESULTS.md.
#   bench/run.sh                    # scale 1 (5,000,000 events), 3 runs each
#   bench/run.sh -scale 2           # twice the data (memory must not grow)
#   bench/run.sh -scale 0.01 -reps 1 -out ''   # a smoke run (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SPARKIFY_TEST_POSTGRES:-}" ]; then
  pgdir=$(mktemp -d /tmp/sparkify-bench-pg.XXXXXX)
  trap 'scripts/postgres.sh stop "$pgdir"' EXIT
  eval "$(scripts/postgres.sh start "$pgdir")"
fi
go run ./bench "$@"
