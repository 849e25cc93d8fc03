#!/usr/bin/env bash
# A PostgreSQL server on 127.0.0.1 for Anvil: user and password "anvil", databases "anvil" (dataset-service),
# "anvil_trainer" (trainer-service), "anvil_gateway" (inference-gateway) and "anvil_eval" (eval-service).
#   scripts/postgres.sh start|stop|status
# Installs Debian's PostgreSQL when it is missing (needs root). The cluster lives under $ANVIL_HOME/postgres
# (default: .anvil/ in the repository), which this script owns.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
home=${ANVIL_HOME:-$root/.anvil}
dir=$home/postgres
# As root the server runs as the postgres user, which may not be able to reach a checkout under /root.
if [[ $(id -u) -eq 0 ]] && ! su postgres -s /bin/sh -c "test -x '$home' -o ! -e '$home'" 2>/dev/null; then
  dir=/var/lib/anvil/postgres-$port
fi
port=${PGPORT:-5432}
db_user=${ANVIL_DB_USER:-anvil}
db_password=${ANVIL_DB_PASSWORD:-anvil}

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z $d ]]; then
    if [[ $(id -u) -ne 0 ]]; then echo "postgres: not installed; run as root or install it: apt-get install postgresql" >&2; exit 1; fi
    echo "postgres: installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$d"
}

# The server refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

start() {
  local bin; bin=$(bindir)
  if [[ ! -f $dir/PG_VERSION ]]; then
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    local pwfile; pwfile=$(mktemp)
    echo "$db_password" >"$pwfile"
    [[ $(id -u) -eq 0 ]] && chown postgres "$pwfile"
    as_owner "$bin/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 >/dev/null
    rm -f "$pwfile"
  fi
  # 9>&-: the server outlives this script and must not inherit the build lock of one-at-a-time (fd 9).
  if as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    echo "postgres: already running on 127.0.0.1:$port"
  else
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null 9>&-
    echo "postgres: up on 127.0.0.1:$port (data in $dir)"
  fi
  export PGPASSWORD=$db_password
  local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [[ -z $("${psql[@]}" -c "select 1 from pg_roles where rolname = '$db_user'") ]]; then
    "${psql[@]}" -c "create role \"$db_user\" login password '$db_password'"
  fi
  # One database per service that keeps records (each with its own Flyway history).
  local db
  for db in anvil anvil_trainer anvil_gateway anvil_eval; do
    if [[ -z $("${psql[@]}" -c "select 1 from pg_database where datname = '$db'") ]]; then
      "${psql[@]}" -c "create database $db owner \"$db_user\""
    fi
  done
}

stop() {
  local bin; bin=$(bindir)
  if [[ -f $dir/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    echo "postgres: stopped"
  else
    echo "postgres: not running"
  fi
}

status() {
  local bin; bin=$(bindir)
  if [[ -f $dir/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    echo "postgres: running on 127.0.0.1:$port"
  else
    echo "postgres: not running"; exit 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
