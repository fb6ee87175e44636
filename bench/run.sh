#!/usr/bin/env bash
# Runs the rollup benchmark on SQLite and on PostgreSQL and keeps each
# report in target/bench/<backend>.md.
#   bench/run.sh                  # both
#   ITERATIONS=20 bench/run.sh    # fewer timed requests per query
#   PG_URL=postgres://user@host:5432/postgres bench/run.sh
# Extra arguments go to both runs (e.g. --print-sql, --explain).
set -euo pipefail
cd "$(dirname "$0")/.."
pg_url=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
sqlite_file=${SQLITE_FILE:-${TMPDIR:-/tmp}/hub138-bench.sqlite}
iterations=${ITERATIONS:-50}
mkdir -p target/bench
cargo build --release -p hub138-bench
bin=target/release/hub138-bench
"$bin" --database-url "sqlite://$sqlite_file?mode=rwc" --replace \
  --iterations "$iterations" "$@" | tee target/bench/sqlite.md
"$bin" --database-url "$pg_url" \
  --iterations "$iterations" "$@" | tee target/bench/postgres.md
