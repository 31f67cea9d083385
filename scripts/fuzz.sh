#!/usr/bin/env bash
# Run every Go fuzz target for a short, fixed time (FUZZTIME, default 10s
# each), as CI does after the tests. A failing input is written to the
# package's testdata/fuzz/<Target>/ and makes the script fail; commit it
# with the fix, so plain `go test` replays it from then on.
#
#   scripts/fuzz.sh              # all targets, 10s each
#   FUZZTIME=2m scripts/fuzz.sh  # longer
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-10s}
targets=(
  ./internal/record:FuzzDecodeEvent
  ./internal/record:FuzzDecodeSong
  ./internal/record:FuzzDecodeSongFile
  ./internal/record:FuzzLines
  ./internal/record:FuzzScannerAgreesWithEncodingJSON
  ./internal/config:FuzzLoad
  ./internal/config:FuzzUpdateBytes
)
for t in "${targets[@]}"; do
  pkg=${t%%:*} name=${t##*:}
  if ! go test -list "^${name}\$" "$pkg" | grep -x "$name" >/dev/null; then
    echo "fuzz target $name not found in $pkg" >&2
    exit 1
  fi
  echo "fuzz $pkg $name for $fuzztime"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
done
echo "fuzz: ${#targets[@]} targets ran for $fuzztime each"
