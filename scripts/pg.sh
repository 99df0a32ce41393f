#!/usr/bin/env bash
# A private, throw-away PostgreSQL 15 server for relate's tests.
#
#   bash scripts/pg.sh start    start one in a fresh temporary folder
#   bash scripts/pg.sh url      print its URL: postgres://USER@127.0.0.1:PORT/postgres
#   bash scripts/pg.sh status   say whether it runs
#   bash scripts/pg.sh stop     stop it and remove the folder
#
# It listens on 127.0.0.1 only (no Unix socket), trusts connections from 127.0.0.1 only,
# and runs with fsync off: it holds test data and nothing else. PostgreSQL refuses to
# run as root, so under root the server runs as the postgres system user (made by
# Debian's postgresql package). Where it is (folder, port, user) is kept in a state file,
# by default build/pg.state in this checkout (RELATE_PG_STATE to change it), so that
# start and stop from different shells find the same server. RELATE_PG_PORT sets the
# first port tried (default 54329); busy ports are skipped.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pgbin=${RELATE_PG_BIN:-/usr/lib/postgresql/15/bin}
state=${RELATE_PG_STATE:-$repo/build/pg.state}
first_port=${RELATE_PG_PORT:-54329}

die() { echo "pg.sh: $*" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 ||
    die "running as root needs the 'postgres' system user (apt-get install postgresql)"
  pg_user=postgres
else
  pg_user=$(id -un)
fi

# Runs a command as the server's user, from a folder that user can enter.
as_pg() {
  if [ "$(id -u)" != 0 ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && setpriv --reuid=postgres --regid=postgres --init-groups -- "$@")
  fi
}

load_state() {
  [ -f "$state" ] || return 1
  # shellcheck disable=SC1090
  . "$state"
  [ -n "${PG_DIR:-}" ] && [ -n "${PG_PORT:-}" ] && [ -n "${PG_USER:-}" ]
}

running() {
  [ -d "$PG_DIR/data" ] && as_pg "$pgbin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A fresh folder the server's user owns. Under root, $TMPDIR may be closed to postgres;
# then /tmp is used.
make_dir() {
  local base=${TMPDIR:-/tmp} dir
  dir=$(mktemp -d "$base/relate-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    if ! as_pg test -w "$dir"; then
      rm -rf "$dir"
      dir=$(mktemp -d /tmp/relate-pg.XXXXXX)
      chown postgres:postgres "$dir"
    fi
  fi
  echo "$dir"
}

start() {
  if load_state; then
    if running; then
      echo "pg.sh: already running on 127.0.0.1:$PG_PORT ($PG_DIR)"
      return 0
    fi
    rm -rf "$PG_DIR"
    rm -f "$state"
  fi
  [ -x "$pgbin/initdb" ] || die "$pgbin/initdb not found (apt-get install postgresql-15)"

  dir=$(make_dir)
  # Whatever fails from here on leaves nothing behind.
  trap 'rm -rf "$dir"' EXIT

  if ! as_pg "$pgbin/initdb" -D "$dir/data" -U "$pg_user" --auth=trust --encoding=UTF8 \
         --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi
  # Only TCP on 127.0.0.1, and only 127.0.0.1 is trusted; nothing else is accepted.
  as_pg sh -c "cat > '$dir/data/pg_hba.conf'" <<'EOF'
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  trust
EOF
  as_pg sh -c "cat >> '$dir/data/postgresql.conf'" <<'EOF'

# relate test server (scripts/pg.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF

  local port=$first_port tries=0 started=""
  while [ $tries -lt 50 ]; do
    tries=$((tries + 1))
    if port_busy "$port"; then
      port=$((port + 1))
      continue
    fi
    as_pg rm -f "$dir/server.log"
    if as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 \
           start >/dev/null 2>&1; then
      started=1
      break
    fi
    # Another process took the port between the check and the start: try the next.
    if grep -q -e 'could not bind' -e 'Address already in use' "$dir/server.log" 2>/dev/null; then
      port=$((port + 1))
      continue
    fi
    cat "$dir/server.log" >&2 2>/dev/null || true
    die "the server did not start"
  done
  [ -n "$started" ] || die "no free port from $first_port to $port"

  mkdir -p "$(dirname "$state")"
  printf 'PG_DIR=%q\nPG_PORT=%q\nPG_USER=%q\n' "$dir" "$port" "$pg_user" >"$state.tmp"
  mv "$state.tmp" "$state"
  trap - EXIT
  echo "pg.sh: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port as $pg_user ($dir)"
}

stop() {
  if ! load_state; then
    echo "pg.sh: not running (no $state)"
    return 0
  fi
  if running; then
    as_pg "$pgbin/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      echo "pg.sh: pg_ctl stop failed; removing $PG_DIR anyway" >&2
  fi
  rm -rf "$PG_DIR"
  rm -f "$state"
  echo "pg.sh: stopped"
}

url() {
  load_state || die "not running: bash scripts/pg.sh start"
  echo "postgres://$PG_USER@127.0.0.1:$PG_PORT/postgres"
}

status() {
  if load_state && running; then
    echo "pg.sh: running on 127.0.0.1:$PG_PORT ($PG_DIR)"
  else
    echo "pg.sh: not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  status) status ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
