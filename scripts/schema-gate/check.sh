#!/usr/bin/env bash
# The schema-change gate: compares the repository's schema.graphql with the
# one on the commit it is based on, and fails on a breaking change (see
# gate.mjs for the policy). Run from anywhere inside the repository:
#   scripts/schema-gate/check.sh [BASE]
# BASE (or $SCHEMA_BASE) defaults to the commit HEAD is based on: its merge
# base with origin/main when HEAD is not on it, else HEAD's parent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(git rev-parse --show-toplevel)"
cd "$root"
base="${1:-${SCHEMA_BASE:-}}"
if [ -z "$base" ]; then
  if git rev-parse -q --verify origin/main >/dev/null \
    && ! git merge-base --is-ancestor HEAD origin/main; then
    base="$(git merge-base HEAD origin/main)"
  elif git rev-parse -q --verify 'HEAD^' >/dev/null; then
    base='HEAD^'
  else
    echo "schema gate: no base commit, nothing to compare"
    exit 0
  fi
fi
old="$(mktemp)"
trap 'rm -f "$old"' EXIT
if ! git show "$base:schema.graphql" >"$old" 2>/dev/null; then
  echo "schema gate: $base has no schema.graphql, nothing to compare"
  exit 0
fi
if [ ! -d "$here/node_modules/@graphql-inspector/core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
echo "schema gate: schema.graphql against $(git rev-parse --short "$base")"
node "$here/gate.mjs" "$old" schema.graphql
