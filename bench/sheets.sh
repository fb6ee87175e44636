#!/usr/bin/env bash
# Spreadsheet reports at scale (see bench/sheets/bench.py), on a fresh SQLite
# file with the demo data and a release server on 127.0.0.1:18282.
#
#   cargo build --release -p hub138
#   bench/sheets.sh [path/to/hub138]        # default: target/release/hub138
#
# Needs python3 (openpyxl comes from PyPI into bench/sheets/.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/hub138}"
venv=bench/sheets/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r bench/sheets/requirements.txt
fi
work="$(mktemp -d)"
port=18282
DATABASE_URL="sqlite://$work/hub138.sqlite?mode=rwc" HUB138_DEMO_DATA=true \
  HUB138_LISTEN="127.0.0.1:$port" RUST_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
"$venv/bin/python" bench/sheets/bench.py "http://127.0.0.1:$port" "$bin" "sqlite://$work/hub138.sqlite?mode=rwc" "$work"
