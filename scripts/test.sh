#!/usr/bin/env bash
# Runs every test of Anvil: all modules on H2 and the in-process Kafka broker, then the database-backed
# services again on PostgreSQL (started, and installed if missing, by scripts/postgres.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/postgres.sh start
exec mvn -B verify -Ppostgres "$@"
