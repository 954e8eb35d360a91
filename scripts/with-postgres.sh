#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: Debian's server binaries, a temp
# directory, a free loopback port, stopped and removed at the end whatever happens.
# Usage: scripts/with-postgres.sh COMMAND [ARGS…]   (DATABASE_URL is set for COMMAND)
# With PG_REPLICA=1, a streaming replica of it runs too, on another loopback port
# (DATABASE_REPLICA_URL is set for COMMAND).
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  "$(dirname "$0")/debian-install.sh" "the tests" postgresql
fi
PGBIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

PGTMP=$(mktemp -d)
chmod 755 "$PGTMP"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$PGTMP"
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT=$(free_port)
FAST="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

cleanup() {
  if [ -d "$PGTMP/replica" ]; then
    "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/replica" -m fast -w stop >/dev/null 2>&1 || true
  fi
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT

"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGTMP $FAST" \
  start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres petitspas

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/petitspas"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

if [ "${PG_REPLICA:-0}" = "1" ]; then
  # PostgreSQL's own streaming replication: a base backup of the primary that follows its
  # write-ahead log (-R writes the standby settings), read-only, on its own port.
  REPLICA_PORT=$(free_port)
  "${AS_PG[@]}" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U postgres \
    -D "$PGTMP/replica" -R -X stream -c fast
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/replica" -l "$PGTMP/replica.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $REPLICA_PORT -k $PGTMP $FAST -c hot_standby=on" \
    start >/dev/null
  export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/petitspas"
  echo "Streaming replica on 127.0.0.1:$REPLICA_PORT"
fi
"$@"
