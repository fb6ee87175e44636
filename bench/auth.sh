#!/usr/bin/env bash
# What signing in costs a request: `{ __typename }` anonymous, with a bearer
# token (the default: account, token and scope kept in memory), and with a
# bearer token when nothing is kept (HUB138_AUTH_CACHE_SECONDS=0: the account
# and the scope read from the database on every request, as before the
# cache). Also a provincial viewer's scoped read (its committee and 20
# children with their standing agency), kept and not kept.
#
#   cargo build --release -p hub138
#   bench/auth.sh [path/to/hub138]        # default: target/release/hub138
#
# On a fresh SQLite file with the demo data, against 127.0.0.1:18182; `hey`
# (Debian package hey) with 16 concurrent clients for ROUNDS rounds of
# SECONDS seconds per case, the cases alternating round by round; req/s is the
# median over the rounds, p99 and RSS are of the last round.
set -euo pipefail

BIN=${1:-target/release/hub138}
ROUNDS=${ROUNDS:-3}
SECONDS_PER=${SECONDS_PER:-8}
LISTEN=127.0.0.1:18182
DB=$(mktemp -u /tmp/hub138-auth-bench.XXXXXX.sqlite)
URL="http://$LISTEN/graphql"
LOG=$(mktemp /tmp/hub138-auth-bench.XXXXXX.log)
PID=

command -v hey >/dev/null || { echo "needs hey (apt-get install hey)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no executable $BIN (cargo build --release -p hub138)" >&2; exit 1; }

stop() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  PID=
}
trap 'stop; rm -f "$DB" "$DB"-*' EXIT

start() { # start CACHE_SECONDS
  DATABASE_URL="sqlite://$DB?mode=rwc" HUB138_DEMO_DATA=true HUB138_LISTEN=$LISTEN \
    HUB138_JWT_SECRET=auth-bench-secret-of-at-least-32-bytes HUB138_AUTH_CACHE_SECONDS="$1" \
    HUB138_TOKEN_TTL_MINUTES=600 RUST_LOG=warn "$BIN" serve >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null "http://$LISTEN/readyz"; then return 0; fi
    sleep 0.1
  done
  echo "the server did not become ready; see $LOG" >&2
  exit 1
}

start 10
TOKEN=$(curl -fs "$URL" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(input: {username: \"tuyenquang.viewer\", password: \"hub138-demo\"}) { accessToken } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
TQ=$(curl -fs "$URL" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"query":"{ committeeByCode(level: PROVINCE, code: \"08\", activeOn: \"2026-03-01\") { id } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["committeeByCode"]["id"])')
stop

TYPENAME='{"query":"{ __typename }"}'
SCOPED=$(printf '{"query":"query($id: ID!) { node(id: $id) { ... on Committee { name children(first: 20) { edges { node { code name standingAgency { name } } } } } } }","variables":{"id":"%s"}}' "$TQ")

declare -A RPS P99 RSS
run() { # run NAME CACHE_SECONDS BODY [TOKEN]
  start "$2"
  local out
  out=$(hey -z "${SECONDS_PER}s" -c 16 -m POST -T application/json -d "$3" \
    ${4:+-H "Authorization: Bearer $4"} "$URL")
  RPS[$1]="${RPS[$1]:-} $(printf '%s' "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
  P99[$1]=$(printf '%s' "$out" | awk '/ 99% in / {printf "%.1f", $3 * 1000}')
  RSS[$1]=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
  if printf '%s' "$out" | sed -n '/Status code distribution/,$p' | grep -qE '^ +\[[45][0-9]{2}\]|Error distribution'; then
    echo "$1: errors:" >&2; printf '%s\n' "$out" | grep -A5 'Status code' >&2
  fi
  stop
}

CASES=(anonymous token token-uncached scoped scoped-uncached)
for r in $(seq 1 "$ROUNDS"); do
  run anonymous 10 "$TYPENAME"
  run token 10 "$TYPENAME" "$TOKEN"
  run token-uncached 0 "$TYPENAME" "$TOKEN"
  run scoped 10 "$SCOPED" "$TOKEN"
  run scoped-uncached 0 "$SCOPED" "$TOKEN"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| request | req/s (median of $ROUNDS × ${SECONDS_PER}s) | p99 ms | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: |"
for c in "${CASES[@]}"; do
  echo "| $c | $(printf '%s' "${RPS[$c]}" | median) | ${P99[$c]} | ${RSS[$c]} |"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
