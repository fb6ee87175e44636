#!/usr/bin/env bash
# Starts PostGraphile 5 in the foreground on DATABASE_URL (argument or env),
# at http://127.0.0.1:${PGL_PORT:-5678}/graphql, with the Node from npm
# (the `node` package in package.json; PostGraphile 5 needs Node >= 22).
# First installs the packages if they are missing (npm ci) and, unless
# PGL_SKIP_ROLLUP_SQL=1, (re)creates public.national_rollup from rollup.sql
# (idempotent) so that the schema PostGraphile builds at start includes it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DATABASE_URL="${1:-${DATABASE_URL:?usage: start.sh DATABASE_URL}}"
node="$here/node_modules/.bin/node"
if [[ ! -x "$node" || ! -e "$here/node_modules/postgraphile/dist/cli-run.js" ]]; then
  echo "installing the packages (npm ci)" >&2
  (cd "$here" && nice -n 10 npm ci --no-audit --no-fund >&2)
fi
if [[ "${PGL_SKIP_ROLLUP_SQL:-0}" != 1 ]]; then
  psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -f "$here/rollup.sql" >&2
fi
cd "$here"
export GRAPHILE_ENV="${GRAPHILE_ENV:-production}"
exec "$node" node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs
