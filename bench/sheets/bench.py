"""Spreadsheet reports at scale, against a running Hub138 (bench/sheets.sh starts one).

1. A province's template: today's Tuyên Quang, its 124 communes, a quarter without
   reports (2027-Q1), XLSX — `reportTemplate` and the download, timed together.
2. That workbook filled by openpyxl (an independent XLSX writer: every one of the
   124 x 23 value cells) and imported by the province's coordinator, on the
   communes' behalf — timed; each run fills a fresh template with new numbers,
   so every run updates all 124 reports (the first creates them).
3. CSV imports by `hub138 report import` (the same code path, in its own process)
   of 1,000 and 10,000 rows — the central coordinator entering the 34 provinces'
   reports for successive months, 23 values a row — timed, with the process's
   peak resident memory, to see how memory grows with the rows.

Prints a Markdown table. Usage: bench.py BASE_URL HUB138_BINARY DATABASE_URL WORKDIR
"""

import csv
import io
import json
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid

import openpyxl

BASE, BIN, DB, WORK = sys.argv[1:5]
RUNS = 5


def post(token, query, variables=None):
    req = urllib.request.Request(
        BASE + "/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"content-type": "application/json", **({"authorization": "Bearer " + token} if token else {})},
    )
    with urllib.request.urlopen(req) as r:
        body = json.load(r)
    if body.get("errors"):
        raise SystemExit(f"errors: {body}")
    return body["data"]


def login(username):
    d = post(None, 'mutation($u: String!) { login(input: {username: $u, password: "hub138-demo"}) { accessToken } }', {"u": username})
    return d["login"]["accessToken"]


def get(token, path):
    req = urllib.request.Request(BASE + path, headers={"authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r:
        return r.read()


def upload(token, content, name, options):
    boundary = uuid.uuid4().hex
    ops = json.dumps({
        "query": "mutation($input: ImportReportsInput!) { importReports(input: $input) { summary { written created updated unchanged refused rows { problems { cell code message } } } userErrors { code message } } }",
        "variables": {"input": {**options, "file": None}},
    })
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{ops}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{{"0": ["variables.input.file"]}}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + content + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    req = urllib.request.Request(
        BASE + "/graphql",
        data=b"".join(parts),
        headers={"content-type": f"multipart/form-data; boundary={boundary}", "authorization": "Bearer " + token},
    )
    with urllib.request.urlopen(req) as r:
        body = json.load(r)
    if body.get("errors") or body["data"]["importReports"]["userErrors"]:
        raise SystemExit(f"import failed: {body}")
    return body["data"]["importReports"]["summary"]


def template(token, committee, period, scope, fmt):
    d = post(
        token,
        "mutation($i: ReportTemplateInput!) { reportTemplate(input: $i) { export { url } userErrors { code message } } }",
        {"i": {"committeeId": committee, "period": period, "scope": scope, "format": fmt}},
    )
    return get(token, d["reportTemplate"]["export"]["url"])


def median_ms(samples):
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f})"


rows = []
coordinator = login("tuyenquang.coordinator")
tq = post(coordinator, '{ committeeByCode(level: PROVINCE, code: "08") { id } }')["committeeByCode"]["id"]

# 1. The template.
samples = []
for _ in range(RUNS):
    t = time.perf_counter()
    book = template(coordinator, tq, "2027-Q1", "CHILDREN", "XLSX")
    samples.append(time.perf_counter() - t)
wb = openpyxl.load_workbook(io.BytesIO(book))
ws = wb["Báo cáo"]
first_value_col, first_row = 4, 4
last_row = ws.max_row
cols = [c for c in range(first_value_col, ws.max_column + 1) if ws.cell(3, c).value]
n_rows = last_row - first_row + 1
rows.append((f"`reportTemplate` + download, {n_rows} communes × {len(cols)} indicators, XLSX ({len(book):,} bytes)", median_ms(samples)))

# 2. The filled workbook, imported.
samples = []
for run in range(RUNS):
    # A fresh template each time, as a user would make (the last one's
    # versions are stale once its import wrote the reports).
    wb = openpyxl.load_workbook(io.BytesIO(template(coordinator, tq, "2027-Q1", "CHILDREN", "XLSX")))
    ws = wb["Báo cáo"]
    for r in range(first_row, last_row + 1):
        for c in cols:
            ws.cell(r, c).value = (r * 7 + c * 3 + run) % 500
    out = io.BytesIO()
    wb.save(out)
    t = time.perf_counter()
    s = upload(coordinator, out.getvalue(), "filled.xlsx", {})
    samples.append(time.perf_counter() - t)
    if not (s["written"] and s["refused"] == 0 and s["created"] + s["updated"] == n_rows):
        raise SystemExit(f"the import did not write every row: {json.dumps(s)[:1500]}")
rows.append((f"`importReports` of it filled by openpyxl ({n_rows} × {len(cols)} = {n_rows * len(cols):,} values, every report written)", median_ms(samples)))

# 3. CSV imports through the CLI: memory against rows.
central = login("central.coordinator")
vn = post(central, '{ committeeByCode(level: CENTRAL, code: "VN") { id } }')["committeeByCode"]["id"]
head = template(central, vn, "2026-Q4", "CHILDREN", "CSV").decode("utf-8-sig")
records = list(csv.reader(io.StringIO(head)))
header, provinces = records[0], records[1:]
codes = header[5:]
months = [f"{y}-{m:02}" for y in range(1950, 2100) for m in range(1, 13)]


def csv_file(n):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    i = 0
    for month in months:
        for p in provinces:
            if i == n:
                return buf.getvalue().encode()
            w.writerow([p[0], month, 0, p[3], p[4], *[(i + k) % 1000 for k in range(len(codes))]])
            i += 1
    return buf.getvalue().encode()


for n in (1_000, 10_000):
    path = f"{WORK}/rows-{n}.csv"
    with open(path, "wb") as f:
        f.write(csv_file(n))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    p = subprocess.run(
        [BIN, "report", "import", path, "--as", "central.coordinator"],
        env={"DATABASE_URL": DB, "RUST_LOG": "warn", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if p.returncode != 0:
        raise SystemExit(p.stderr + p.stdout)
    note = "" if peak > before else " (peak not above the earlier run's)"
    rows.append((f"`hub138 report import` of a {n:,}-row CSV ({n * len(codes):,} values; {p.stdout.strip().splitlines()[-1]})", f"{took:.2f} s, peak RSS {peak / 1024:.0f} MiB{note}"))

print("| measurement | result |\n| --- | --- |")
for k, v in rows:
    print(f"| {k} | {v} |")
