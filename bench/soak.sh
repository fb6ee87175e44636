#!/usr/bin/env bash
# Soak: two Hub138 replicas on one PostgreSQL database with the demo data,
# 50 clients for 10 minutes mixing reads, progress reports and report saves
# across both (see bench/src/soak.rs), then every accepted write counted in
# the database. Prints a table per minute (requests, p50/p99, conflicts,
# errors, resident memory) and fails on any error or missing write.
#
#   bench/soak.sh                          # 600 s, 50 clients
#   SOAK_SECONDS=120 SOAK_CLIENTS=20 bench/soak.sh
#   PG=postgres://postgres@127.0.0.1:5432 bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pg="${PG:-postgres://postgres@127.0.0.1:5432}"
db="hub138_soak_$$"
seconds="${SOAK_SECONDS:-600}"
clients="${SOAK_CLIENTS:-50}"
cargo build --release -q -p hub138 --bin hub138 -p hub138-bench --bin hub138-soak
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
psql "$pg/postgres" -qc "CREATE DATABASE $db"
export DATABASE_URL="$pg/$db" HUB138_DEMO_DATA=true HUB138_REPLICAS=2 RUST_LOG=warn
HUB138_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
export HUB138_JWT_SECRET
target/release/hub138 seed
for port in 18201 18202; do
  HUB138_LISTEN="127.0.0.1:$port" target/release/hub138 serve &
  pids+=("$!")
done
for port in 18201 18202; do
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.2
  done
done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) before the run"
target/release/hub138-soak \
  --targets http://127.0.0.1:18201,http://127.0.0.1:18202 \
  --pids "$(IFS=,; echo "${pids[*]}")" \
  --database-url "$pg/$db" --seconds "$seconds" --clients "$clients"
echo "machine: load $(cut -d' ' -f1-3 /proc/loadavg) after the run"
