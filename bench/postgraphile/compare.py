#!/usr/bin/env python3
"""Checks that Hub138 and PostGraphile answer the benchmark's workloads alike.

    compare.py HUB138_URL HUB138_TOKEN POSTGRAPHILE_URL

For each workload in queries/ it sends `<name>.hub138.graphql` to Hub138
(with `Authorization: Bearer HUB138_TOKEN`) and `<name>.postgraphile.graphql`
to PostGraphile, with the variables of `<name>.<side>.variables.json` or else
`<name>.variables.json`, turns each answer into a sorted list of canonical
rows (codes, names, numbers) and prints `same` or the first differences.
Exits 1 if any workload differs or fails. Python 3.11 standard library only.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable

QUERIES = Path(__file__).resolve().parent / "queries"
MAX_SHOWN = 10

Row = tuple[Any, ...]


class Failure(Exception):
    pass


def post(url: str, query: str, variables: dict[str, Any], token: str | None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables}).encode()
    headers = {"content-type": "application/json", "accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            answer = json.load(resp)
    except urllib.error.HTTPError as e:
        raise Failure(f"{url}: HTTP {e.code}: {e.read()[:500].decode(errors='replace')}") from e
    except urllib.error.URLError as e:
        raise Failure(f"{url}: {e.reason}") from e
    if answer.get("errors"):
        raise Failure(f"{url}: {json.dumps(answer['errors'], ensure_ascii=False)[:800]}")
    if not isinstance(answer.get("data"), dict):
        raise Failure(f"{url}: no data in {json.dumps(answer)[:300]}")
    return answer["data"]


def load(name: str, side: str) -> tuple[str, dict[str, Any]]:
    query = (QUERIES / f"{name}.{side}.graphql").read_text()
    for candidate in (f"{name}.{side}.variables.json", f"{name}.variables.json"):
        path = QUERIES / candidate
        if path.exists():
            return query, json.loads(path.read_text())
    return query, {}


def one(nodes: list[Any] | None, what: str) -> Any:
    if not nodes:
        return None
    if len(nodes) > 1:
        raise Failure(f"more than one {what}: {len(nodes)}")
    return nodes[0]


# --- small: the province, its children, each child's standing agency -------


def small_hub138(data: dict[str, Any]) -> list[Row]:
    p = data["committeeByCode"]
    if p is None:
        raise Failure("Hub138 found no such province")
    rows: list[Row] = [("province", p["code"], p["name"])]
    for c in p["children"]["nodes"]:
        standing = c["standingAgency"]
        rows.append(("child", p["code"], c["code"], c["name"], standing and standing["name"]))
    return rows


def small_postgraphile(data: dict[str, Any]) -> list[Row]:
    p = one(data["allCommittees"]["nodes"], "province")
    if p is None:
        raise Failure("PostGraphile found no such province")
    rows: list[Row] = [("province", p["code"], p["name"])]
    for c in p["committeesByParentId"]["nodes"]:
        m = one(c["membershipsByCommitteeId"]["nodes"], "standing membership")
        agency = m and m["agencyByAgencyId"]
        rows.append(("child", p["code"], c["code"], c["name"], agency and agency["name"]))
    return rows


# --- nested: provinces, 5 children each, 4 agencies each ---------------------


def nested_rows(provinces: list[Any], children: str, agencies: str) -> list[Row]:
    rows: list[Row] = []
    for p in provinces:
        rows.append(("province", p["code"], p["name"]))
        for c in p[children]["nodes"]:
            rows.append(("child", p["code"], c["code"], c["name"]))
            for a in c[agencies]["nodes"]:
                rows.append(("agency", p["code"], c["code"], a["name"]))
    return rows


def nested_hub138(data: dict[str, Any]) -> list[Row]:
    return nested_rows(data["committees"]["nodes"], "children", "agencies")


def nested_postgraphile(data: dict[str, Any]) -> list[Row]:
    return nested_rows(
        data["allCommittees"]["nodes"], "committeesByParentId", "agenciesByCommitteeId"
    )


# --- rollup: one row per province -------------------------------------------


def number(v: Any) -> float | None:
    return None if v is None else float(v)


def rollup_hub138(data: dict[str, Any]) -> list[Row]:
    c = data["committeeByCode"]
    if c is None:
        raise Failure("Hub138 found no central committee")
    rows: list[Row] = []
    for r in c["indicatorRollup"]["rows"]:
        v = one(r["values"], "indicator value")
        rows.append(
            (r["committee"]["code"], r["committee"]["name"], number(v["value"]), int(v["reports"]))
        )
    return rows


def rollup_postgraphile(data: dict[str, Any]) -> list[Row]:
    conn = data["nationalRollup"]
    if conn is None:
        raise Failure("PostGraphile returned no rollup")
    return [
        (r["code"], r["name"], number(r["value"]), int(r["reports"])) for r in conn["nodes"]
    ]


Normalizer = Callable[[dict[str, Any]], list[Row]]

WORKLOADS: list[tuple[str, Normalizer, Normalizer]] = [
    ("small", small_hub138, small_postgraphile),
    ("nested", nested_hub138, nested_postgraphile),
    ("rollup", rollup_hub138, rollup_postgraphile),
]


def canonical(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: json.dumps(r, ensure_ascii=False))


def summary(rows: list[Row]) -> str:
    kinds: dict[str, int] = {}
    for r in rows:
        k = r[0] if isinstance(r[0], str) and r[0] in ("province", "child", "agency") else "row"
        kinds[k] = kinds.get(k, 0) + 1
    plural = {"province": "provinces", "child": "children", "agency": "agencies", "row": "rows"}
    return ", ".join(f"{n} {k if n == 1 else plural[k]}" for k, n in sorted(kinds.items()))


def diff(hub: list[Row], pgl: list[Row]) -> list[str]:
    hub_set, pgl_set = set(hub), set(pgl)
    out: list[str] = []
    only_hub = [r for r in hub if r not in pgl_set]
    only_pgl = [r for r in pgl if r not in hub_set]
    for r in only_hub[:MAX_SHOWN]:
        out.append(f"  - hub138 only:       {r}")
    for r in only_pgl[:MAX_SHOWN]:
        out.append(f"  + postgraphile only: {r}")
    if len(only_hub) > MAX_SHOWN or len(only_pgl) > MAX_SHOWN:
        out.append(f"  ({len(only_hub)} rows only in Hub138, {len(only_pgl)} only in PostGraphile)")
    if not out:  # same set, different multiplicities
        out.append(f"  same rows, different counts: {len(hub)} in Hub138, {len(pgl)} in PostGraphile")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    hub_url, token, pgl_url = argv[1:]
    failed = 0
    for name, from_hub, from_pgl in WORKLOADS:
        try:
            hub = canonical(from_hub(post(hub_url, *load(name, "hub138"), token)))
            pgl = canonical(from_pgl(post(pgl_url, *load(name, "postgraphile"), None)))
        except (Failure, KeyError, TypeError, ValueError) as e:
            failed += 1
            print(f"{name}: FAILED: {type(e).__name__}: {e}")
            continue
        if hub == pgl:
            print(f"{name}: same ({summary(hub)})")
        else:
            failed += 1
            print(f"{name}: DIFFERENT ({summary(hub)} in Hub138; {summary(pgl)} in PostGraphile)")
            print("\n".join(diff(hub, pgl)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
