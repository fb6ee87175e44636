#!/usr/bin/env bash
# Sign-in timing and server responsiveness under a burst of sign-ins.
#
#   cargo build --release -p hub138
#   bench/login.sh [path/to/hub138]        # default: target/release/hub138
#
# On a fresh SQLite file with the demo data, against 127.0.0.1:18181:
#  1. login time of an unknown username vs a known one with a wrong
#     password: median (and min/max) of 20 sequential requests each, after
#     one successful warm-up sign-in. Each series runs on a freshly started
#     server, so the in-memory throttle starts empty; 20 failures from one
#     address is what the per-address limit allows, and the known series
#     spreads over the 12 demo accounts (at most 2 failures each).
#  2. /readyz latency (p50/max) while 64 concurrent sign-ins (right
#     passwords, the 12 demo accounts in turn) run. Each sign-in comes with
#     its own X-Forwarded-For and the server trusts 127.0.0.1 as a proxy, so
#     a server that throttles per client address sees 64 clients; a server
#     that does not know the header ignores it.
# Needs bash, curl, awk and sort. Only talks to 127.0.0.1.
set -euo pipefail

BIN=${1:-target/release/hub138}
LISTEN=127.0.0.1:18181
DB=/tmp/signin.sqlite
URL="http://$LISTEN"
LOG=$(mktemp /tmp/hub138-login-bench.XXXXXX.log)
PID=

[ -x "$BIN" ] || { echo "no executable $BIN (cargo build --release -p hub138)" >&2; exit 1; }

stop() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  PID=
}
trap stop EXIT

start() {
  DATABASE_URL="sqlite://$DB?mode=rwc" HUB138_DEMO_DATA=true HUB138_LISTEN=$LISTEN HUB138_TRUSTED_PROXIES=127.0.0.1 \
    HUB138_JWT_SECRET=login-bench-secret-of-at-least-32-bytes RUST_LOG=warn \
    "$BIN" serve >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null "$URL/readyz"; then return 0; fi
    sleep 0.1
  done
  echo "the server did not become ready; see $LOG" >&2
  exit 1
}

# login USER PASSWORD [X-Forwarded-For]: prints "seconds code".
login() {
  local body out
  body=$(printf '{"query":"mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken userErrors { code } } }","variables":{"u":"%s","p":"%s"}}' "$1" "$2")
  out=$(curl -s -w '\n%{time_total}' -H 'content-type: application/json' \
    ${3:+-H "x-forwarded-for: $3"} -d "$body" "$URL/graphql")
  local code
  code=$(printf '%s' "$out" | head -n1 | { grep -o '"code":"[A-Z_]*"' || true; } | head -n1 | cut -d'"' -f4)
  [ -n "$code" ] || code=OK
  printf '%s %s\n' "$(printf '%s' "$out" | tail -n1)" "$code"
}

# stats: "median min max" in milliseconds of seconds on stdin.
stats() {
  sort -n | awk '{ v[NR] = $1 * 1000 } END {
    if (NR == 0) { print "n/a"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f ms (min %.1f, max %.1f, n=%d)", m, v[1], v[NR], NR }'
}

p50max() {
  sort -n | awk '{ v[NR] = $1 * 1000 } END {
    if (NR == 0) { print "n/a"; exit }
    printf "p50 %.1f ms, max %.1f ms (n=%d)", v[int((NR + 1) / 2)], v[NR], NR }'
}

USERS=(central.viewer central.editor central.coordinator central.admin
  tuyenquang.viewer tuyenquang.editor tuyenquang.coordinator tuyenquang.admin
  hagiang2.viewer hagiang2.editor hagiang2.coordinator hagiang2.admin)

rm -f "$DB" "$DB-shm" "$DB-wal"
echo "binary: $BIN"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "seeding $DB ..."
start
stop

# warmup: one successful sign-in (the demo accounts must be there).
warmup() {
  local out
  out=$(login central.viewer hub138-demo)
  [ "${out#* }" = OK ] || { echo "the warm-up sign-in failed ($out): no demo accounts?" >&2; exit 1; }
}

series() { # NAME: 20 sequential failing sign-ins on a fresh server
  start
  warmup
  local out
  out=$(for i in $(seq 1 20); do
    if [ "$1" = unknown ]; then login "nobody-$i" wrong-password-1
    else login "${USERS[$(((i - 1) % 12))]}" wrong-password-1; fi
  done)
  stop
  local codes
  codes=$(printf '%s\n' "$out" | awk '{ print $2 }' | sort | uniq -c | awk '{ printf "%s %s; ", $1, $2 }')
  printf '%-8s %s   [%s]\n' "$1" "$(printf '%s\n' "$out" | awk '{ print $1 }' | stats)" "$codes"
}

echo "== login time, 20 sequential, wrong password"
series unknown
series known

echo "== /readyz while 64 concurrent sign-ins run"
start
warmup
DIR=$(mktemp -d /tmp/hub138-login-bench.XXXXXX)
began=$(date +%s.%N)
pids=()
for i in $(seq 0 63); do
  login "${USERS[$((i % 12))]}" hub138-demo "198.18.$((i / 250)).$((i % 250 + 1))" >"$DIR/login.$i" &
  pids+=($!)
done
: >"$DIR/readyz"
while :; do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1 && break; done
  [ "$alive" = 1 ] || break
  curl -s -o /dev/null -w '%{time_total}\n' "$URL/readyz" >>"$DIR/readyz" || true
  sleep 0.02
done
wait "${pids[@]}" 2>/dev/null || true
ended=$(date +%s.%N)
stop
ok=$(cat "$DIR"/login.* | awk '$2 == "OK"' | wc -l)
printf 'sign-ins: %d of 64 signed in; burst took %.2f s; login %s\n' "$ok" \
  "$(awk -v a="$began" -v b="$ended" 'BEGIN { print b - a }')" \
  "$(cat "$DIR"/login.* | awk '{ print $1 }' | p50max)"
printf '/readyz during the burst: %s\n' "$(p50max <"$DIR/readyz")"
rm -rf "$DIR"
rm -f "$LOG"
