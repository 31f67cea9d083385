#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing:
# PostgreSQL (a throwaway server for the PostgreSQL tests), Chromium (the
# dashboard's browser test) and a C compiler (DuckDB is linked through cgo).
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v gcc >/dev/null 2>&1 || need+=(gcc g++)
[ ${#need[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "missing packages ${need[*]}: install them as root" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600)
echo "installing ${need[*]}" >&2
"${apt[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null \
  || { "${apt[@]}" update >/dev/null && "${apt[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null; }
