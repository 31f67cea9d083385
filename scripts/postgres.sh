#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL for the tests, from Debian's packages.
#
#   eval "$(scripts/postgres.sh start DIR)"   # prints: export SPARKIFY_TEST_POSTGRES=...
#   scripts/postgres.sh stop DIR
#
# The server listens on 127.0.0.1 only, on a free port, with trust auth for
# the local test user; it is for tests, not for data you care about.
set -euo pipefail

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$d" ]; then
    echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2
    exit 1
  fi
  echo "$d"
}

# as_owner runs a command as the owner of the data folder (initdb refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

# Ports are taken from 25432-25531, below Linux's ephemeral range
# (32768-60999): a port there can be in use by any outgoing connection of a
# parallel test, unseen by the check, and the server's bind then fails.
free_port() {
  local p
  for p in $(seq "${1:-25432}" 25531); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "no free port in 25432-25531" >&2
  exit 1
}

cmd=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
bin=$(bindir)

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  user=$( [ "$(id -u)" = 0 ] && echo postgres || id -un )
  as_owner "'$bin/initdb' -D '$dir/data' -U '$user' -A trust -E UTF8 --no-locale >'$dir/initdb.log' 2>&1"
  # Another server may take the port between the check and the bind:
  # then try the next free one.
  port=$(free_port)
  tries=0
  until as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
    -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null 2>&1"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ] || ! grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null; then
      echo "PostgreSQL did not start; its log, $dir/server.log:" >&2
      tail -n 20 "$dir/server.log" >&2 || true
      exit 1
    fi
    port=$(free_port $((port + 1)))
  done
  echo "export SPARKIFY_TEST_POSTGRES='postgres://$user@127.0.0.1:$port/postgres?sslmode=disable'"
  echo "export SPARKIFY_TEST_PGDATA='$dir/data'"
  echo "export SPARKIFY_TEST_PGBIN='$bin'"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "'$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1" || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
