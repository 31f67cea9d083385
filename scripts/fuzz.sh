#!/usr/bin/env bash
# Run every Go fuzz target for a fixed number of inputs (about ten seconds'
# worth each on this machine, set per target; FUZZTIME overrides them all),
# as CI does after the tests. A failing input is written to
# the package's testdata/fuzz/<Target>/ and makes the script fail; commit it
# with the fix, so plain `go test` replays it from then on.
#
# The budget is a count, not a duration: with -fuzztime 10s, Go 1.26's fuzz
# coordinator can fail a target with a bare "context deadline exceeded"
# when a worker is still busy at the deadline (go.dev/issue/75804, fixed in
# Go 1.27) - it did in CI, with no failing input. Minimising a new input is
# capped at 5s, so a slow machine only makes the run longer.
#
#   scripts/fuzz.sh                    # all targets, their own budgets
#   FUZZTIME=2000000x scripts/fuzz.sh  # longer (a duration works too, with the race above)
set -euo pipefail
cd "$(dirname "$0")/.."

# package:target:inputs
targets=(
  ./internal/record:FuzzDecodeEvent:200000x
  ./internal/record:FuzzDecodeSong:200000x
  ./internal/record:FuzzDecodeSongFile:200000x
  ./internal/record:FuzzLines:200000x
  ./internal/record:FuzzScannerAgreesWithEncodingJSON:200000x
  ./internal/config:FuzzLoad:20000x
  ./internal/config:FuzzUpdateBytes:150000x
)
for t in "${targets[@]}"; do
  IFS=: read -r pkg name budget <<<"$t"
  fuzztime=${FUZZTIME:-$budget}
  if ! go test -list "^${name}\$" "$pkg" | grep -x "$name" >/dev/null; then
    echo "fuzz target $name not found in $pkg" >&2
    exit 1
  fi
  echo "fuzz $pkg $name for $fuzztime"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s "$pkg"
done
echo "fuzz: ${#targets[@]} targets ran"
