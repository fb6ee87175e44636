// The portal and GraphiQL in a real browser (Debian's Chromium, driven by
// playwright-core) against a running Hub138 with its demo data.
//
//   node test.mjs BASE_URL [--allow-text-fallback]
//
// BASE_URL serves /portal and /graphql (the binary itself, or devserver.mjs
// in front of one). Each check prints one line as it passes; the first
// failure prints why and exits 1. Screenshots go to docs/screenshots/.
// --allow-text-fallback accepts a server that does not know the portal's
// persisted documents (the client then resends their text).
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const args = process.argv.slice(2);
const BASE = (args.find((a) => !a.startsWith('--')) ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const ALLOW_FALLBACK = args.includes('--allow-text-fallback');
const PASSWORD = process.env.HUB138_DEMO_PASSWORD ?? 'hub138-demo';
const SHOTS = join(fileURLToPath(new URL('.', import.meta.url)), '../../docs/screenshots');
const TIMEOUT = 60_000;
// Debian's Chromium, never a browser a library downloads.
const CHROMIUM = '/usr/bin/chromium';

let checks = 0;
function ok(what) {
  checks += 1;
  console.log(`ok ${checks} - ${what}`);
}
class CheckFailed extends Error {}
function check(cond, what) {
  if (!cond) throw new CheckFailed(what);
}
function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new CheckFailed(`${what}: the portal shows ${a}, the API answers ${e}`);
}

// --- the API, straight over HTTP, with the test's own token ---------------

async function api(token, query, variables = {}) {
  const res = await fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => null);
  if (!body || body.errors?.length || !body.data) {
    const e = body?.errors?.[0];
    throw new CheckFailed(`API ${query.trim().split(/[({]/)[0]}: HTTP ${res.status} ${e ? `${e.extensions?.code}: ${e.message}` : ''}`);
  }
  return body.data;
}

async function login(username) {
  const { login: l } = await api(null, 'mutation ($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken userErrors { code message } } }', { u: username, p: PASSWORD });
  check(l.accessToken, `login ${username}: ${JSON.stringify(l.userErrors)}`);
  return l.accessToken;
}

const label = (c) => `${c.name}${c.validTo ? ` (until ${c.validTo})` : ''}`;
const COUNTS = 'expected onTime late missing pending awaitingReview';

// The dashboard's reporting-status cells and chart bars equal what the API
// answers for the same committee, period and indicator.
async function compareDashboard(page, token, committee) {
  const period = await page.getByTestId('period-input').inputValue();
  await page.getByTestId('status-total-expected').waitFor();
  const { node: rsNode } = await api(token, `query ($id: ID!, $p: Period!) { node(id: $id) { ... on Committee { reportingStatus(period: $p) { total { ${COUNTS} } children { committee { code } total { ${COUNTS} } } } } } }`, { id: committee.id, p: period });
  const rs = rsNode.reportingStatus;
  check(rs.total.expected > 0, `no report is expected in ${period}: the default period has no demo data`);
  const awaiting = (c) => c.awaitingReview;
  const fields = { expected: (c) => c.expected, onTime: (c) => c.onTime, late: (c) => c.late, missing: (c) => c.missing, awaitingReview: awaiting, pending: (c) => c.pending };
  const shownStatus = await page.$$eval('[data-testid^="status-"][data-testid$="-expected"], [data-testid^="status-"][data-testid$="-onTime"], [data-testid^="status-"][data-testid$="-late"], [data-testid^="status-"][data-testid$="-missing"], [data-testid^="status-"][data-testid$="-awaitingReview"], [data-testid^="status-"][data-testid$="-pending"]',
    (els) => Object.fromEntries(els.map((e) => [e.dataset.testid, Number(e.textContent)])));
  const wantStatus = {};
  for (const [key, counts] of [['total', rs.total], ...rs.children.map((c) => [c.committee.code, c.total])]) {
    for (const [f, get] of Object.entries(fields)) wantStatus[`status-${key}-${f}`] = get(counts);
  }
  equal(Object.keys(shownStatus).length, Object.keys(wantStatus).length, `reporting-status cells for ${period}`);
  for (const k of Object.keys(wantStatus)) equal(shownStatus[k], wantStatus[k], k);
  ok(`${label(committee)}: reporting status of ${rs.children.length} children for ${period} equals reportingStatus (on time ${rs.total.onTime}, late ${rs.total.late}, missing ${rs.total.missing}, awaiting review ${awaiting(rs.total)})`);

  // --- the SVG bars equal indicatorRollup by child
  const indicator = await page.getByTestId('indicator-select').inputValue();
  await page.locator('[data-testid="chart"] [data-testid="bar"]').first().waitFor();
  const { node: rNode } = await api(token, 'query ($id: ID!, $p: Period!, $i: [String!]!) { node(id: $id) { ... on Committee { indicatorRollup(indicators: $i, period: $p, groupBy: CHILD) { rows { committee { code } values { indicator { code } value } } } } } }', { id: committee.id, p: period, i: [indicator] });
  const rows = rNode.indicatorRollup.rows;
  const bars = await page.$$eval('[data-testid="chart"] [data-testid="bar"]', (els) => els.map((e) => [e.dataset.child, e.dataset.value]));
  const wantBars = rows.map((r) => [r.committee.code, String(r.values.find((v) => v.indicator.code === indicator)?.value ?? '')]);
  equal(bars, wantBars, `bars of ${indicator}`);
  check(wantBars.some(([, v]) => Number(v) > 0), `${indicator} is 0 for every child in ${period}: no demo data`);
  ok(`${label(committee)}: ${bars.length} SVG bars of ${indicator} equal indicatorRollup(groupBy: CHILD)`);
  return { period };
}

// The quarter `from`, or the latest before it, in which reports are expected.
async function periodWithData(token, committeeId, from) {
  let [y, q] = from.split('-Q').map(Number);
  for (let i = 0; i < 12 && q; i++) {
    const p = `${y}-Q${q}`;
    const { node } = await api(token, 'query ($id: ID!, $p: Period!) { node(id: $id) { ... on Committee { reportingStatus(period: $p) { total { expected } } } } }', { id: committeeId, p });
    if (node.reportingStatus.total.expected > 0) return p;
    if (--q === 0) { q = 4; y -= 1; }
  }
  return from;
}

async function main() {
  const health = await fetch(`${BASE}/healthz`).catch((e) => e);
  check(health instanceof Response && health.ok, `${BASE}/healthz does not answer (${health instanceof Response ? health.status : health.message})`);
  const token = await login('tuyenquang.coordinator');
  const { committeeByCode: tq } = await api(token, '{ committeeByCode(level: PROVINCE, code: "08") { id name } }');
  check(tq, 'committeeByCode(PROVINCE, "08") is null');
  ok(`API: signed in as tuyenquang.coordinator; ${tq.name}`);

  mkdirSync(SHOTS, { recursive: true });
  check(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'vi-VN' });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    // Every POST the portal makes names a persisted document.
    const posts = [];
    // Nothing the pages load may come from anywhere but this server.
    const elsewhere = [];
    context.on('request', (r) => {
      const u = new URL(r.url());
      if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== new URL(BASE).origin) elsewhere.push(r.url());
    });
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/graphql') {
        try { posts.push(JSON.parse(r.postData() ?? '{}')); } catch { posts.push({}); }
      }
    });

    // --- sign in through the form
    await page.goto(`${BASE}/portal`);
    // A wrong password is a userError of `login`, shown with its code.
    await page.getByTestId('username').fill('tuyenquang.viewer');
    await page.getByTestId('password').fill(`${PASSWORD}-wrong`);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('sign-in-error').filter({ hasText: /INVALID_CREDENTIALS|TOO_MANY_ATTEMPTS/ }).waitFor();
    ok(`portal: a wrong password shows login's userError (${(await page.getByTestId('sign-in-error').textContent()).trim()})`);
    await page.getByTestId('username').fill('tuyenquang.coordinator');
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signed-in-as').waitFor();
    check((await page.getByTestId('signed-in-as').textContent()).includes('tuyenquang.coordinator'), 'the header does not name the account');
    ok('portal: signed in through the form');

    // --- find the province by a name without diacritics
    await page.goto(`${BASE}/portal#/search`);
    await page.getByTestId('search-input').fill('tuyen quang');
    await page.getByTestId('search-input').press('Enter');
    const result = page.locator('[data-testid="search-result"][data-code="08"]').first();
    await result.waitFor();
    check((await result.textContent()).includes('Tuyên Quang'), 'the search result is not Tuyên Quang');
    ok('portal: "tuyen quang" finds the committee of Tuyên Quang');
    await result.click();
    await page.getByTestId('committee-name').waitFor();
    equal(await page.getByTestId('committee-name').textContent(), tq.name, 'dashboard heading');

    // --- today's Tuyên Quang: reporting status and bars equal the API's.
    // The portal defaults to the last quarter that has ended; should the
    // demo data stop before it (a later clock), go back to the last quarter
    // with reports, through the period field.
    const shownPeriod = await page.getByTestId('period-input').inputValue();
    const withData = await periodWithData(token, tq.id, shownPeriod);
    if (withData !== shownPeriod) {
      await page.getByTestId('period-input').fill(withData);
      await page.getByTestId('apply').click();
      await page.waitForURL((u) => u.hash.includes(`period=${withData}`));
      console.log(`# ${shownPeriod} has no demo data; using ${withData}`);
    }
    const today = await compareDashboard(page, token, tq);
    const plansNow = await page.getByTestId('plan-select').locator('option').count();
    ok(`dashboard of ${tq.name} for ${today.period}: ${plansNow ? `${plansNow} plans` : 'no plan of its own (the demo plans are of 2024)'}`);

    // --- the Tuyên Quang before the 2025 reform, which holds the 2024 plans
    const { committeeByCode: old } = await api(token, '{ committeeByCode(level: PROVINCE, code: "08", activeOn: "2024-06-01") { id name validTo } }');
    check(old && old.id !== tq.id, 'no Tuyên Quang before the 2025 reform');
    await page.locator(`[data-testid="predecessor"][data-committee-id="${old.id}"]`).click();
    await page.waitForURL((u) => u.hash.includes(encodeURIComponent(old.id)));
    await page.getByTestId('committee-name').waitFor();
    equal(await page.getByTestId('committee-name').textContent(), old.name, 'dashboard heading');
    const { period } = await compareDashboard(page, token, old);
    const committee = old;

    // --- plan progress and overdue tasks are there
    await page.locator('[data-testid="plan-progress"] table, [data-testid="plan-progress"] [data-testid="section-error"]').first().waitFor();
    check(await page.locator('[data-testid="plan-progress"] [data-testid="section-error"]').count() === 0, `plan progress: ${await page.getByTestId('plan-progress').textContent()}`);
    const planId = await page.getByTestId('plan-select').inputValue();
    const { node: pNode } = await api(token, 'query ($id: ID!, $plan: ID!) { node(id: $id) { ... on Committee { taskProgress(planId: $plan) { children { committee { code } total completion } } } } }', { id: committee.id, plan: planId });
    const shownProgress = await page.$$eval('[data-testid^="progress-"][data-testid$="-completion"]:not([data-testid="progress-total-completion"])',
      (els) => els.map((e) => [e.dataset.testid, e.dataset.total, e.dataset.completion]));
    equal(shownProgress, pNode.taskProgress.children.map((c) => [`progress-${c.committee.code}-completion`, String(c.total), String(c.completion ?? '')]), 'plan progress by child');
    check(pNode.taskProgress.children.some((c) => c.total > 0), 'the chosen plan has no task in the subtree');
    ok(`dashboard: each child's progress on the chosen plan equals taskProgress (${pNode.taskProgress.children.filter((c) => c.total > 0).length} of ${pNode.taskProgress.children.length} children with tasks)`);
    await page.locator('[data-testid="overdue-task"]').first().waitFor();
    await page.getByTestId('live-status').and(page.locator('[data-state="connected"]')).waitFor();
    await page.screenshot({ path: join(SHOTS, 'portal-dashboard.png') });
    ok('dashboard: overdue tasks listed, graphql-ws connected; screenshot docs/screenshots/portal-dashboard.png');

    // --- "Xem thêm" follows pageInfo: the first two pages equal the API's
    const overdueQuery = 'query ($c: ID!, $n: Int!, $after: String) { tasks(filter: {committeeId: $c, includeSubtree: true, overdue: true}, first: $n, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }';
    const page1 = (await api(token, overdueQuery, { c: committee.id, n: 10, after: null })).tasks;
    const shownIds = () => page.$$eval('[data-testid="overdue-task"]', (els) => els.map((e) => e.dataset.taskId));
    equal(await shownIds(), page1.nodes.map((t) => t.id), 'overdue tasks, first page');
    check(page1.pageInfo.hasNextPage, `only ${page1.totalCount} overdue tasks: no second page to test paging`);
    const page2 = (await api(token, overdueQuery, { c: committee.id, n: 10, after: page1.pageInfo.endCursor })).tasks;
    await page.getByTestId('overdue-more').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="overdue-task"]').length >= n, page1.nodes.length + page2.nodes.length);
    equal(await shownIds(), [...page1.nodes, ...page2.nodes].map((t) => t.id), 'overdue tasks after "Xem thêm"');
    ok(`dashboard: ${page1.totalCount} overdue tasks in the subtree; "Xem thêm" loads the next page after endCursor`);

    // --- a progress report made through the API shows without reload
    // (the coordinator's own token: the task is of the committee its own
    // committee took in at the reform).
    const { tasks } = await api(token, 'query ($c: ID!) { tasks(filter: {committeeId: $c, overdue: true}, first: 1) { nodes { id number } } }', { c: committee.id });
    check(tasks.nodes.length, `${committee.name} has no overdue task of its own to report on`);
    const taskId = tasks.nodes[0].id;
    const cell = page.locator(`[data-testid="task-percent"][data-task-id="${taskId}"]`);
    check(await cell.count() === 1, `task ${tasks.nodes[0].number} is not in the portal's overdue list`);
    const url = page.url();
    let shown = false;
    for (let attempt = 1; attempt <= 3 && !shown; attempt++) {
      const { node: t } = await api(token, 'query ($id: ID!) { node(id: $id) { ... on Task { version percent } } }', { id: taskId });
      const percent = t.percent < 90 ? t.percent + 7 : t.percent - 7;
      const { reportTaskProgress: r } = await api(token, 'mutation ($in: ReportTaskProgressInput!) { reportTaskProgress(input: $in) { task { percent } userErrors { code message } } }',
        { in: { taskId, expectedVersion: t.version, percent, status: 'IN_PROGRESS', note: 'Kiểm thử trình duyệt: cập nhật tiến độ' } });
      check(!r.userErrors.length, `reportTaskProgress: ${JSON.stringify(r.userErrors)}`);
      try {
        await page.locator(`[data-testid="task-percent"][data-task-id="${taskId}"][data-percent="${percent}"]`).waitFor({ timeout: 15_000 });
        shown = true;
        ok(`live: reportTaskProgress to ${percent} % shows in the task's cell without reload (attempt ${attempt})`);
      } catch {
        console.log(`# attempt ${attempt}: the cell did not change within 15 s`);
      }
    }
    check(shown, 'the live task cell never changed: the taskUpdated subscription delivered nothing');
    equal(page.url(), url, 'the page URL after the live update');
    await page.locator(`[data-testid="live-update"][data-task-id="${taskId}"]`).first().waitFor();
    ok('live: the update is in the feed');

    // --- the export button downloads a real XLSX
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const file = await download.path();
    const bytes = readFileSync(file);
    check(bytes.length > 100 && bytes[0] === 0x50 && bytes[1] === 0x4b, `the download ${download.suggestedFilename()} is not a zip (${bytes.subarray(0, 4).toString('hex')})`);
    check(bytes.includes(Buffer.from('xl/workbook.xml')), `${download.suggestedFilename()} has no xl/workbook.xml`);
    check(download.suggestedFilename().endsWith('.xlsx'), `download named ${download.suggestedFilename()}`);
    ok(`export: ${download.suggestedFilename()} downloaded, ${bytes.length} bytes, an XLSX workbook`);

    // --- the operations went out as persisted documents
    const byId = posts.filter((b) => typeof b.documentId === 'string' && b.query === undefined);
    const fallbacks = posts.filter((b) => typeof b.query === 'string');
    check(posts.length > 0 && byId.length + fallbacks.length === posts.length, 'a POST named neither a documentId alone nor a query');
    check(fallbacks.length <= byId.length, 'a POST sent its text without trying its documentId first');
    if (fallbacks.length && !ALLOW_FALLBACK) {
      throw new CheckFailed(`${fallbacks.length} of ${posts.length} POSTs fell back to the text: the server does not know portal/persisted-documents.json (${fallbacks.map((b) => b.operationName).join(', ')})`);
    }
    ok(`persisted: ${byId.length} POSTs by documentId${fallbacks.length ? `, ${fallbacks.length} of them unknown to the server and resent as text` : ', none as text'}`);

    // --- UNAUTHENTICATED sends the portal back to the sign-in form
    await page.evaluate(() => window.sessionStorage.setItem('hub138.portal.accessToken', 'not-a-token'));
    await page.reload();
    await page.getByTestId('sign-in-form').waitFor();
    ok('portal: a bad token (UNAUTHENTICATED) brings back the sign-in form');
    check(consoleErrors.length === 0, `uncaught errors in the portal: ${consoleErrors.join('; ')}`);

    // --- GraphiQL loads the schema into its docs
    const gq = await context.newPage();
    await gq.goto(`${BASE}/graphql`);
    await gq.getByLabel('username').fill('tuyenquang.coordinator');
    await gq.getByLabel('password').fill(PASSWORD);
    await gq.getByRole('button', { name: /Sign in/ }).click();
    await gq.getByText('Đã đăng nhập').waitFor();
    await gq.getByLabel('Show Documentation Explorer').click();
    const docs = gq.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().click();
    await docs.getByText('committeeByCode', { exact: true }).first().waitFor();
    await docs.getByText('indicators', { exact: true }).first().waitFor();
    await gq.screenshot({ path: join(SHOTS, 'graphiql.png') });
    ok('GraphiQL: the documentation explorer lists the fields of Query; screenshot docs/screenshots/graphiql.png');
    check(elsewhere.length === 0, `requests left the server: ${elsewhere.slice(0, 5).join(', ')}`);
    ok('portal and GraphiQL: every request went to this server');
  } finally {
    await browser.close();
  }
  console.log(`${checks} passed, 0 failed`);
}

main().catch((e) => {
  console.log(`not ok ${checks + 1} - ${e instanceof CheckFailed ? e.message : e.stack ?? e}`);
  console.log(`${checks} passed, 1 failed`);
  process.exit(1);
});
