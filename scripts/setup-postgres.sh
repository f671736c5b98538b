#!/usr/bin/env bash
# A throwaway PostgreSQL server for the history-store tests (Debian's `postgresql` package).
#
#   scripts/setup-postgres.sh start   # prints the test URL on stdout (nothing when PostgreSQL is unavailable)
#   scripts/setup-postgres.sh url     # prints the URL of the running server, if any
#   scripts/setup-postgres.sh stop    # stops the server (keeps the data directory)
#   scripts/setup-postgres.sh clean   # stops the server and deletes its directory
#
# The server listens on 127.0.0.1 only, on a free port, with trust authentication (it is a test
# server holding test data), fsync off (speed; the data is disposable). Its files live in
# $MAMORI_PG_DIR (default .build-pg/ in the repository). Running `start` again reuses a running
# server, so it is cheap to call before every test run.
#
# Use in scripts/test.sh:
#   MAMORI_TEST_POSTGRES_URL=$(scripts/setup-postgres.sh start) && export MAMORI_TEST_POSTGRES_URL
# When PostgreSQL cannot be found or installed, `start` says why on stderr, prints nothing and
# exits 0: the PostgreSQL tests are then skipped with a message, the SQLite ones still run.
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-start}
root=${MAMORI_PG_DIR:-$PWD/.build-pg}
# As root the server runs as `postgres`, which may not be able to enter a checkout under a private
# home directory: then keep the server's files in a temporary directory named after the checkout.
if [[ -z "${MAMORI_PG_DIR:-}" && $(id -u) -eq 0 ]] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$PWD"; then
  root=${TMPDIR:-/tmp}/mamori-pg-$(echo "$PWD" | cksum | cut -d' ' -f1)
fi
data=$root/data
socket=$root/run
log=$root/server.log
urlfile=$root/url
database=mamori_test

say() { echo "setup-postgres: $*" >&2; }

# The newest installed server binaries (/usr/lib/postgresql/<version>/bin).
find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; fi
}

# PostgreSQL refuses to run as root: as root, run the server tools as the `postgres` user.
as_server_user() {
  # From /, which the server user can always enter (the checkout may be private).
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

is_running() {
  [[ -n "${bin:-}" && -f "$data/PG_VERSION" ]] && as_server_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  return 1
}

install_postgres() {
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    say "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin) and apt-get is unavailable; PostgreSQL tests will be skipped"
    return 1
  fi
  say "installing Debian's postgresql package..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2; then
    say "apt-get install postgresql failed; PostgreSQL tests will be skipped"
    return 1
  fi
}

bin=$(find_bin)

case "$command" in
  url)
    if is_running && [[ -f "$urlfile" ]]; then cat "$urlfile"; fi
    exit 0
    ;;
  stop|clean)
    if is_running; then as_server_user "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; say "stopped"; fi
    if [[ "$command" == clean ]]; then rm -rf "$root"; fi
    exit 0
    ;;
  start) ;;
  *) say "unknown command '$command' (start, url, stop, clean)"; exit 2 ;;
esac

if [[ -z "$bin" ]]; then
  install_postgres || exit 0
  bin=$(find_bin)
  if [[ -z "$bin" ]]; then say "postgresql installed but no server binaries found; PostgreSQL tests will be skipped"; exit 0; fi
fi

if is_running; then
  if [[ -f "$urlfile" ]]; then cat "$urlfile"; exit 0; fi
  # Running but its URL is lost: restart it so the port is known again.
  as_server_user "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
fi

mkdir -p "$root" "$socket"
if [[ $(id -u) -eq 0 ]]; then chown postgres "$root" "$socket"; fi
if [[ ! -f "$data/PG_VERSION" ]]; then
  rm -rf "$data"
  as_server_user "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >"$root/initdb.log" 2>&1 \
    || { say "initdb failed (see $root/initdb.log); PostgreSQL tests will be skipped"; exit 0; }
fi

port=$(free_port) || { say "no free port on 127.0.0.1; PostgreSQL tests will be skipped"; exit 0; }
options="-c listen_addresses=127.0.0.1 -p $port -k $socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
# The server user writes its own log, so it must own the file.
rm -f "$log"
if ! as_server_user "$bin/pg_ctl" -D "$data" -l "$log" -o "$options" -w -t 60 start >"$root/pg_ctl.out" 2>&1; then
  say "the server did not start (see $log and $root/pg_ctl.out); PostgreSQL tests will be skipped"
  exit 0
fi

psql_admin() { as_server_user psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"; }
if [[ -z $(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$database'") ]]; then
  psql_admin -c "CREATE DATABASE $database" >/dev/null
fi

url="postgres://postgres@127.0.0.1:$port/$database?sslmode=disable"
echo "$url" >"$urlfile"
say "PostgreSQL $(basename "$(dirname "$bin")") running on 127.0.0.1:$port (data in $data)"
echo "$url"
