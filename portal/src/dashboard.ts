// The province dashboard: for one committee and one period, each child's
// reporting status, a bar chart of one indicator by child, each child's
// progress on one plan, the overdue tasks of the subtree (paged), the
// progress updates arriving live over graphql-ws, and an XLSX export.
//
// Each section runs its own query and shows its own error, so a refused
// query (TOO_COMPLEX, FORBIDDEN…) leaves the rest of the page working.
import { ApiError, describeError, describeUserErrors, onSocketState, request, session, subscribe } from './client';
import { barChart } from './chart';
import { fill, h, num } from './dom';
import { graphql } from './graphql';
import { LEVEL, PLAN_STATUS, TASK_STATUS } from './labels';
import type { dashboardSetupQuery } from './__generated__/dashboardSetupQuery.graphql';
import type { dashboardReportingStatusQuery } from './__generated__/dashboardReportingStatusQuery.graphql';
import type { dashboardIndicatorRollupQuery } from './__generated__/dashboardIndicatorRollupQuery.graphql';
import type { dashboardTaskProgressQuery } from './__generated__/dashboardTaskProgressQuery.graphql';
import type { dashboardOverdueTasksQuery } from './__generated__/dashboardOverdueTasksQuery.graphql';
import type { dashboardTaskUpdatedSubscription } from './__generated__/dashboardTaskUpdatedSubscription.graphql';
import type { dashboardCreateExportMutation } from './__generated__/dashboardCreateExportMutation.graphql';

const SetupQuery = graphql`
  query dashboardSetupQuery($id: ID!) {
    node(id: $id) {
      ... on Committee {
        id
        name
        level
        code
        validFrom
        validTo
        parent {
          id
          name
        }
        predecessors {
          effectiveOn
          partial
          committee {
            id
            name
            validTo
          }
        }
        successors {
          effectiveOn
          committee {
            id
            name
          }
        }
        plans(first: 50) {
          nodes {
            id
            title
            documentNumber
            status
            periodFrom
            periodTo
          }
        }
      }
    }
    indicators(first: 100) {
      nodes {
        code
        nameVi
        unit
      }
    }
    exportDefinitions {
      code
      title
    }
  }
`;

const ReportingStatusQuery = graphql`
  query dashboardReportingStatusQuery($id: ID!, $period: Period!) {
    node(id: $id) {
      ... on Committee {
        reportingStatus(period: $period) {
          period
          total {
            expected
            onTime
            late
            missing
            pending
            awaitingReview
          }
          children {
            committee {
              id
              name
              code
            }
            total {
              expected
              onTime
              late
              missing
              pending
              awaitingReview
            }
          }
        }
      }
    }
  }
`;

const IndicatorRollupQuery = graphql`
  query dashboardIndicatorRollupQuery($id: ID!, $period: Period!, $indicators: [String!]!) {
    node(id: $id) {
      ... on Committee {
        indicatorRollup(indicators: $indicators, period: $period, groupBy: CHILD) {
          period
          basis
          total {
            value
            reports
          }
          rows {
            committee {
              id
              unitName
              code
            }
            values {
              indicator {
                code
              }
              value
              reports
            }
          }
        }
      }
    }
  }
`;

const TaskProgressQuery = graphql`
  query dashboardTaskProgressQuery($id: ID!, $planId: ID!) {
    node(id: $id) {
      ... on Committee {
        taskProgress(planId: $planId) {
          asOf
          total
          done
          overdue
          completion
          children {
            committee {
              id
              name
              code
            }
            total
            done
            inProgress
            notStarted
            blocked
            overdue
            completion
          }
        }
      }
    }
  }
`;

const OverdueTasksQuery = graphql`
  query dashboardOverdueTasksQuery($committeeId: ID!, $first: Int!, $after: String) {
    tasks(filter: { committeeId: $committeeId, includeSubtree: true, overdue: true }, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          number
          title
          dueOn
          percent
          status
          version
          section {
            number
          }
          committee {
            name
          }
        }
      }
    }
  }
`;

const TaskUpdatedSubscription = graphql`
  subscription dashboardTaskUpdatedSubscription($committeeId: ID!) {
    taskUpdated(committeeId: $committeeId, includeSubtree: true) {
      id
      number
      title
      percent
      status
      overdue
      version
      updatedAt
      committee {
        name
      }
    }
  }
`;

const CreateExportMutation = graphql`
  mutation dashboardCreateExportMutation($input: CreateExportInput!) {
    createExport(input: $input) {
      export {
        url
        fileName
        contentType
        size
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export interface DashboardParams {
  committeeId: string;
  period?: string;
  indicator?: string;
  plan?: string;
}

/**
 * The last quarter that has ended by `today` (`2026-Q3` on 2026-12-02): the
 * default period. For a committee that no longer exists, `today` is the
 * day after its last one, so its last full quarter is shown.
 */
export function lastEndedQuarter(today = new Date()): string {
  const q = Math.floor(today.getMonth() / 3); // the current quarter, 0-based
  return q === 0 ? `${today.getFullYear() - 1}-Q4` : `${today.getFullYear()}-Q${q}`;
}

/** The last eight quarters, the last two halves and years, for the datalist. */
function recentPeriods(today = new Date()): string[] {
  const out: string[] = [];
  let y = today.getFullYear();
  let q = Math.floor(today.getMonth() / 3) + 1;
  for (let i = 0; i < 8; i++) {
    q -= 1;
    if (q === 0) { q = 4; y -= 1; }
    out.push(`${y}-Q${q}`);
  }
  const year = today.getFullYear();
  out.push(`${year}-H1`, `${year - 1}-H2`, `${year - 1}-H1`, `${year}`, `${year - 1}`);
  return out;
}

function sectionError(el: Element, e: unknown): void {
  fill(el, h('p', { class: 'error', role: 'alert', 'data-testid': 'section-error', 'data-code': e instanceof ApiError ? e.code : '' }, describeError(e)));
}

type Counts = {
  readonly expected: number; readonly onTime: number; readonly late: number; readonly missing: number;
  readonly pending: number; readonly awaitingReview: number;
};

const STATUS_COLUMNS: [string, string, (c: Counts) => number][] = [
  ['expected', 'Phải nộp', (c) => c.expected],
  ['onTime', 'Đúng hạn', (c) => c.onTime],
  ['late', 'Trễ hạn', (c) => c.late],
  ['missing', 'Chưa nộp (quá hạn)', (c) => c.missing],
  ['awaitingReview', 'Chờ duyệt', (c) => c.awaitingReview],
  ['pending', 'Chưa đến hạn', (c) => c.pending],
];

export function dashboardView(params: DashboardParams, navigate: (p: DashboardParams) => void): { el: HTMLElement; dispose: () => void } {
  const el = h('div', { class: 'dashboard', 'data-testid': 'dashboard' }, h('p', { class: 'muted' }, 'Đang tải…'));
  const disposers: (() => void)[] = [];
  let disposed = false;

  void (async () => {
    let setup: dashboardSetupQuery['response'];
    try {
      setup = await request<dashboardSetupQuery>(SetupQuery, { id: params.committeeId });
    } catch (e) {
      sectionError(el, e);
      return;
    }
    if (disposed) return;
    const committee = setup.node;
    if (!committee || committee.id == null) {
      fill(el, h('p', { class: 'error' }, 'Không tìm thấy ban chỉ đạo này trong phạm vi của tài khoản.'));
      return;
    }
    const plans = committee.plans?.nodes ?? [];
    const indicators = setup.indicators.nodes;
    // A committee no longer in force is shown as it stood on its last day.
    const asOf = committee.validTo && new Date(`${committee.validTo}T00:00:00Z`) < new Date()
      ? new Date(Date.parse(`${committee.validTo}T00:00:00Z`) + 86_400_000)
      : new Date();
    const period = params.period || lastEndedQuarter(asOf);
    const indicator = indicators.find((i) => i.code === params.indicator) ?? indicators[0];
    const plan = plans.find((p) => p.id === params.plan) ?? plans.find((p) => p.status === 'ISSUED') ?? plans[0];

    // --- the controls: changing one reloads the dashboard through the URL.
    const periodInput = h('input', { name: 'period', value: period, list: 'periods', pattern: '\\d{4}(-(Q[1-4]|H[12]|\\d{2}))?', required: true, 'data-testid': 'period-input', size: 9 });
    const indicatorSelect = h('select', { name: 'indicator', 'data-testid': 'indicator-select' },
      indicators.map((i) => h('option', { value: i.code, selected: i.code === indicator?.code }, i.nameVi)));
    const planSelect = h('select', { name: 'plan', 'data-testid': 'plan-select' },
      plans.map((p) => h('option', { value: p.id, selected: p.id === plan?.id }, `${p.documentNumber ? `${p.documentNumber} — ` : ''}${p.title} (${PLAN_STATUS[p.status] ?? p.status})`)));
    const controls = h('form', { class: 'controls', 'data-testid': 'controls' },
      h('label', {}, 'Kỳ báo cáo ', periodInput),
      h('datalist', { id: 'periods' }, recentPeriods(asOf).map((p) => h('option', { value: p }))),
      h('label', {}, 'Chỉ tiêu ', indicatorSelect),
      h('label', {}, 'Kế hoạch ', planSelect),
      h('button', { type: 'submit', 'data-testid': 'apply' }, 'Xem'));
    controls.addEventListener('submit', (e) => {
      e.preventDefault();
      navigate({ committeeId: committee.id!, period: periodInput.value.trim(), indicator: indicatorSelect.value, plan: planSelect.value });
    });

    const exportButton = h('button', { type: 'button', 'data-testid': 'export-button' }, 'Tải tệp XLSX');
    const exportMessage = h('span', { class: 'muted', 'data-testid': 'export-message' });
    const definition = setup.exportDefinitions[0];

    const statusBox = h('div', { 'data-testid': 'reporting-status' }, h('p', { class: 'muted' }, 'Đang tải…'));
    const chartBox = h('div', { 'data-testid': 'indicator-chart' }, h('p', { class: 'muted' }, 'Đang tải…'));
    const progressBox = h('div', { 'data-testid': 'plan-progress' }, h('p', { class: 'muted' }, plan ? 'Đang tải…' : 'Đơn vị chưa có kế hoạch nào trong Hub138.'));
    const overdueBox = h('div', { 'data-testid': 'overdue-tasks' }, h('p', { class: 'muted' }, 'Đang tải…'));
    const liveState = h('span', { class: 'live', 'data-testid': 'live-status', 'data-state': 'connecting' }, 'Đang kết nối…');
    const feedEmpty = h('li', { class: 'muted' }, 'Chưa có cập nhật nào kể từ khi mở trang.');
    const feed = h('ol', { class: 'feed', 'data-testid': 'live-feed' }, feedEmpty);

    fill(el,
      h('header', { class: 'dash-head' },
        h('div', {},
          h('h2', { 'data-testid': 'committee-name' }, committee.name),
          h('p', { class: 'muted' }, `${LEVEL[committee.level!] ?? committee.level} · mã ${committee.code}`,
            committee.parent ? ` · thuộc ${committee.parent.name}` : '',
            committee.validTo ? ` · tồn tại đến ngày ${committee.validTo}` : ''),
          // The 2025 reform: links to the units before and after it.
          committee.predecessors?.length ? h('p', { class: 'muted', 'data-testid': 'predecessors' }, 'Trước sắp xếp: ',
            committee.predecessors.flatMap((p, i) => [i ? ', ' : '',
              h('a', { href: '#', 'data-testid': 'predecessor', 'data-committee-id': p.committee.id, onclick: (e: Event) => { e.preventDefault(); navigate({ committeeId: p.committee.id }); } },
                p.committee.name), p.committee.validTo ? ` (đến ${p.committee.validTo}${p.partial ? ', một phần' : ''})` : ''])) : null,
          committee.successors?.length ? h('p', { class: 'muted', 'data-testid': 'successors' }, 'Sau sắp xếp: ',
            committee.successors.flatMap((p, i) => [i ? ', ' : '',
              h('a', { href: '#', 'data-testid': 'successor', onclick: (e: Event) => { e.preventDefault(); navigate({ committeeId: p.committee.id }); } },
                p.committee.name), ` (từ ${p.effectiveOn})`])) : null,
        ),
        h('div', { class: 'export' }, exportButton, ' ', exportMessage),
      ),
      controls,
      h('section', { class: 'card' }, h('h3', {}, `Tình hình báo cáo kỳ ${period}`), statusBox),
      h('section', { class: 'card' }, h('h3', {}, `${indicator?.nameVi ?? 'Chỉ tiêu'} theo đơn vị, kỳ ${period}`), chartBox),
      h('section', { class: 'card' }, h('h3', {}, `Tiến độ kế hoạch${plan ? `: ${plan.title}` : ''}`), progressBox),
      h('section', { class: 'card' }, h('h3', {}, 'Nhiệm vụ quá hạn trong địa bàn ', liveState), overdueBox,
        h('h4', {}, 'Cập nhật tiến độ trực tiếp'), feed),
    );

    void loadStatus(committee.id, period, statusBox);
    if (indicator) void loadChart(committee.id, period, indicator, chartBox);
    const reloadProgress = () => { if (plan) void loadProgress(committee.id!, plan.id, progressBox); };
    reloadProgress();
    void loadOverdue(committee.id, overdueBox);

    // --- live: progress updates of any task in the subtree.
    onSocketState((s) => {
      liveState.dataset.state = s;
      liveState.textContent = s === 'connected' ? 'Trực tiếp' : s === 'connecting' ? 'Đang kết nối…' : 'Mất kết nối';
    });
    let reloadTimer = 0;
    disposers.push(subscribe<dashboardTaskUpdatedSubscription>(TaskUpdatedSubscription, { committeeId: committee.id }, {
      next: ({ taskUpdated: t }) => {
        for (const cell of el.querySelectorAll<HTMLElement>(`[data-testid="task-percent"][data-task-id="${CSS.escape(t.id)}"]`)) {
          cell.textContent = `${t.percent} %`;
          cell.dataset.percent = String(t.percent);
          cell.classList.add('updated');
        }
        for (const cell of el.querySelectorAll<HTMLElement>(`[data-testid="task-status"][data-task-id="${CSS.escape(t.id)}"]`)) {
          cell.textContent = TASK_STATUS[t.status] ?? t.status;
          cell.dataset.status = t.status;
        }
        feedEmpty.remove();
        feed.prepend(h('li', { 'data-testid': 'live-update', 'data-task-id': t.id },
          `${new Date(t.updatedAt).toLocaleTimeString('vi-VN')} — ${t.committee.name}: nhiệm vụ ${t.number} “${t.title}” ${t.percent} % (${TASK_STATUS[t.status] ?? t.status})`));
        // The plan's counts changed too: reload them, at most once a second.
        window.clearTimeout(reloadTimer);
        reloadTimer = window.setTimeout(reloadProgress, 1000);
      },
      error: (e) => {
        liveState.dataset.state = 'error';
        liveState.textContent = describeError(e);
      },
    }));

    // --- export: createExport builds the file and says where to GET it.
    exportButton.addEventListener('click', async () => {
      if (!definition) { exportMessage.textContent = 'Máy chủ chưa có mẫu xuất nào.'; return; }
      exportButton.disabled = true;
      exportMessage.textContent = 'Đang tạo tệp…';
      try {
        const { createExport } = await request<dashboardCreateExportMutation>(CreateExportMutation, {
          input: { definition: definition.code, format: 'XLSX', period, scopeCommitteeId: committee.id! },
        });
        if (createExport.userErrors.length || !createExport.export) {
          exportMessage.textContent = describeUserErrors(createExport.userErrors).join(' ');
          return;
        }
        const file = createExport.export;
        const res = await fetch(file.url, { headers: { authorization: `Bearer ${session.token ?? ''}` } });
        if (res.status === 401) { session.signOut(); return; }
        if (!res.ok) { exportMessage.textContent = `Không tải được tệp (HTTP ${res.status}).`; return; }
        const url = URL.createObjectURL(await res.blob());
        const a = h('a', { href: url, download: file.fileName, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
        exportMessage.textContent = `Đã tải ${file.fileName} (${num(file.size / 1024, 1)} KB).`;
      } catch (e) {
        exportMessage.textContent = describeError(e);
      } finally {
        exportButton.disabled = false;
      }
    });
  })();

  return {
    el,
    dispose: () => {
      disposed = true;
      for (const d of disposers) d();
    },
  };
}

async function loadStatus(id: string, period: string, box: HTMLElement): Promise<void> {
  try {
    const { node } = await request<dashboardReportingStatusQuery>(ReportingStatusQuery, { id, period });
    const rs = node?.reportingStatus;
    if (!rs) return sectionError(box, new ApiError('NOT_FOUND', id));
    const row = (key: string, name: string, c: Counts, cls = '') =>
      h('tr', { class: cls, 'data-testid': 'status-row', 'data-child': key },
        h('th', { scope: 'row' }, name),
        STATUS_COLUMNS.map(([field, , get]) => h('td', { class: 'n', 'data-testid': `status-${key}-${field}` }, get(c))));
    fill(box,
      h('p', { class: 'muted' }, 'Số báo cáo của mỗi đơn vị trực thuộc và các đơn vị cấp dưới của nó.'),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Đơn vị'), STATUS_COLUMNS.map(([, label]) => h('th', { class: 'n' }, label)))),
        h('tbody', {}, rs.children.map((c) => row(c.committee.code, c.committee.name, c.total))),
        h('tfoot', {}, row('total', 'Toàn địa bàn', rs.total, 'total'))));
  } catch (e) {
    sectionError(box, e);
  }
}

async function loadChart(id: string, period: string, indicator: { code: string; nameVi: string; unit: string }, box: HTMLElement): Promise<void> {
  try {
    const { node } = await request<dashboardIndicatorRollupQuery>(IndicatorRollupQuery, { id, period, indicators: [indicator.code] });
    const rollup = node?.indicatorRollup;
    if (!rollup) return sectionError(box, new ApiError('NOT_FOUND', id));
    const bars = rollup.rows.map((r) => ({
      key: r.committee?.code ?? '',
      label: r.committee?.unitName ?? '',
      value: r.values.find((v) => v.indicator.code === indicator.code)?.value ?? null,
    }));
    const total = rollup.total[0];
    fill(box,
      h('p', { class: 'muted' }, `Toàn địa bàn: `, h('strong', { 'data-testid': 'chart-total' }, num(total?.value, 1)),
        ` (từ ${total?.reports ?? 0} báo cáo đã duyệt, cộng theo ${rollup.basis === 'MONTH' ? 'tháng' : 'quý'}).`),
      bars.length ? barChart(bars, `${indicator.nameVi}, ${period}`, indicator.unit) : h('p', {}, 'Không có đơn vị trực thuộc.'));
  } catch (e) {
    sectionError(box, e);
  }
}

async function loadProgress(id: string, planId: string, box: HTMLElement): Promise<void> {
  try {
    const { node } = await request<dashboardTaskProgressQuery>(TaskProgressQuery, { id, planId });
    const tp = node?.taskProgress;
    if (!tp) return sectionError(box, new ApiError('NOT_FOUND', planId));
    const bar = (v: number | null | undefined) =>
      h('span', { class: 'meter' }, h('span', { style: `width:${Math.round(v ?? 0)}%` }));
    fill(box,
      h('p', { class: 'muted' }, `Tính đến ngày ${tp.asOf}: ${tp.total} nhiệm vụ, ${tp.done} hoàn thành, ${tp.overdue} quá hạn; mức hoàn thành chung `,
        h('strong', { 'data-testid': 'progress-total-completion' }, tp.completion == null ? '—' : `${num(tp.completion, 1)} %`), '.'),
      h('table', {},
        h('thead', {}, h('tr', {}, ['Đơn vị', 'Nhiệm vụ', 'Hoàn thành', 'Đang thực hiện', 'Chưa bắt đầu', 'Vướng mắc', 'Quá hạn', 'Mức hoàn thành'].map((t, i) => h('th', { class: i ? 'n' : '' }, t)))),
        h('tbody', {}, tp.children.map((c) => {
          const k = c.committee.code;
          return h('tr', { 'data-testid': 'progress-row', 'data-child': k },
            h('th', { scope: 'row' }, c.committee.name),
            h('td', { class: 'n' }, c.total), h('td', { class: 'n' }, c.done), h('td', { class: 'n' }, c.inProgress),
            h('td', { class: 'n' }, c.notStarted), h('td', { class: 'n' }, c.blocked), h('td', { class: 'n' }, c.overdue),
            h('td', { class: 'n', 'data-testid': `progress-${k}-completion`, 'data-completion': c.completion ?? '', 'data-total': c.total }, c.completion == null ? '—' : `${num(c.completion, 1)} %`, ' ', bar(c.completion)));
        }))));
  } catch (e) {
    sectionError(box, e);
  }
}

const TASK_PAGE = 10;

async function loadOverdue(committeeId: string, box: HTMLElement): Promise<void> {
  const tbody = h('tbody', {});
  const count = h('p', { class: 'muted', 'data-testid': 'overdue-count' });
  const more = h('button', { type: 'button', hidden: true, 'data-testid': 'overdue-more' }, 'Xem thêm');
  let after: string | null = null;
  fill(box, count,
    h('table', {}, h('thead', {}, h('tr', {}, ['Số', 'Nhiệm vụ', 'Đơn vị', 'Hạn', 'Tiến độ', 'Trạng thái'].map((t) => h('th', {}, t)))), tbody),
    more);
  const page = async () => {
    more.disabled = true;
    try {
      const { tasks } = await request<dashboardOverdueTasksQuery>(OverdueTasksQuery, { committeeId, first: TASK_PAGE, after });
      for (const { node: t } of tasks.edges) {
        tbody.append(h('tr', { 'data-testid': 'overdue-task', 'data-task-id': t.id },
          h('td', { class: 'nowrap' }, t.section ? `${t.section.number}.${t.number}` : t.number), h('td', {}, t.title), h('td', {}, t.committee.name), h('td', { class: 'nowrap' }, t.dueOn ?? '—'),
          h('td', { class: 'n', 'data-testid': 'task-percent', 'data-task-id': t.id, 'data-percent': t.percent }, `${t.percent} %`),
          h('td', { 'data-testid': 'task-status', 'data-task-id': t.id, 'data-status': t.status }, TASK_STATUS[t.status] ?? t.status)));
      }
      count.textContent = `${tasks.totalCount} nhiệm vụ quá hạn; đang hiện ${tbody.childElementCount}.`;
      after = tasks.pageInfo.endCursor ?? null;
      more.hidden = !tasks.pageInfo.hasNextPage;
    } catch (e) {
      count.textContent = describeError(e);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void page());
  await page();
}
