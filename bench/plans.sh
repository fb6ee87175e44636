#!/usr/bin/env bash
# importPlanDocument's dry-run preview at the speed a user sees it: the
# Ninh Bình 2026 programme (42 tasks) as text and as Word, uploaded by curl
# to a release server on a fresh SQLite file with the demo data; the median
# and the slowest of 11 runs (the first warms the caches and is not counted).
#
#   cargo build --release -p hub138
#   bench/plans.sh [path/to/hub138]        # default: target/release/hub138
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/hub138}"
work="$(mktemp -d)"
port=18283
DATABASE_URL="sqlite://$work/hub138.sqlite?mode=rwc" HUB138_DEMO_DATA=true \
  HUB138_LISTEN="127.0.0.1:$port" RUST_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port/graphql"
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
gql() { curl -fs "$base" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }
token=$(gql '{"query":"mutation { login(input: {username: \"central.viewer\", password: \"hub138-demo\"}) { accessToken } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
committee=$(gql '{"query":"{ committeeByCode(level: PROVINCE, code: \"37\", activeOn: \"2026-03-01\") { id } }"}' "$token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["committeeByCode"]["id"])')
ops=$(printf '{"query":"mutation($input: ImportPlanDocumentInput!) { importPlanDocument(input: $input) { preview { draft { tasks { number lead { agencyId match } coordinating { agencyId } } } warnings { code } } userErrors { code } } }","variables":{"input":{"file":null,"committeeId":"%s","dryRun":true}}}' "$committee")
echo "| document | tasks | median | slowest |"
echo "| --- | ---: | ---: | ---: |"
for f in data/demo/plans/002_fafc0a697c43e3cd.txt plandoc/tests/data/plans/002_fafc0a697c43e3cd.docx; do
  times=()
  for i in $(seq 0 11); do
    out="$work/out.json"
    t=$(curl -fs -o "$out" -w '%{time_total}' "$base" -H "authorization: Bearer $token" \
      -F "operations=$ops" -F 'map={"0":["variables.input.file"]}' -F "0=@$f")
    [ "$i" -gt 0 ] && times+=("$t")
  done
  tasks=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["data"]["importPlanDocument"]["preview"]["draft"]["tasks"]))' "$out")
  printf '%s\n' "${times[@]}" | sort -n | awk -v f="$(basename "$f")" -v n="$tasks" \
    '{a[NR]=$1} END {printf "| %s | %d | %.0f ms | %.0f ms |\n", f, n, a[int((NR+1)/2)]*1000, a[NR]*1000}'
done
