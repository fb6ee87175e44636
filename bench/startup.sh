#!/usr/bin/env bash
# Time from process start to "ready with all data loaded" on an empty SQLite
# file: starts the release binary on a new database, waits until /readyz
# answers, prints the seconds, stops the server.
#   cargo build --release -p hub138 && bench/startup.sh
# For repeated runs: hyperfine --runs 5 bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/hub138
dir=$(mktemp -d)
port=${PORT:-18080}
start=$(date +%s.%N)
DATABASE_URL="sqlite://$dir/hub138.sqlite?mode=rwc" HUB138_LISTEN="127.0.0.1:$port" \
  "$bin" serve >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$dir/log"; exit 1; }
  sleep 0.05
done
end=$(date +%s.%N)
echo "ready in $(echo "$end - $start" | bc) s"
