// The portal's entry: a hash router over three views — sign-in, search and
// a committee's dashboard. The URL holds the dashboard's choices
// (#/committee/<id>?period=2026-Q3&indicator=…&plan=…), so a view can be
// bookmarked and reloaded.
import { describeError, request, session } from './client';
import { dashboardView, type DashboardParams } from './dashboard';
import { fill, h } from './dom';
import { graphql } from './graphql';
import { searchView } from './search';
import { signInView } from './signIn';
import type { mainMeQuery } from './__generated__/mainMeQuery.graphql';

const MeQuery = graphql`
  query mainMeQuery {
    me {
      username
      displayName
      role
      committee {
        id
        name
      }
    }
  }
`;

const ROLE: Record<string, string> = { ADMIN: 'quản trị', COORDINATOR: 'điều phối', EDITOR: 'nhập liệu', VIEWER: 'xem' };

const app = document.getElementById('app')!;
const account = document.getElementById('account')!;
let dispose: (() => void) | null = null;

function go(hash: string): void {
  if (window.location.hash === hash) void route();
  else window.location.hash = hash;
}

function dashboardHash(p: DashboardParams): string {
  const q = new URLSearchParams();
  if (p.period) q.set('period', p.period);
  if (p.indicator) q.set('indicator', p.indicator);
  if (p.plan) q.set('plan', p.plan);
  const s = q.toString();
  return `#/committee/${encodeURIComponent(p.committeeId)}${s ? `?${s}` : ''}`;
}

async function showAccount(): Promise<void> {
  try {
    const { me } = await request<mainMeQuery>(MeQuery, {});
    fill(account,
      h('span', { 'data-testid': 'signed-in-as' }, `${me.displayName} (${me.username}, ${ROLE[me.role] ?? me.role})`), ' ',
      me.committee ? h('a', { href: dashboardHash({ committeeId: me.committee.id }) }, 'Đơn vị của tôi') : null, ' ',
      h('a', { href: '#/search' }, 'Tìm đơn vị'), ' ',
      h('button', { type: 'button', 'data-testid': 'sign-out', onclick: () => session.signOut() }, 'Đăng xuất'));
  } catch (e) {
    fill(account, describeError(e));
  }
}

async function route(): Promise<void> {
  dispose?.();
  dispose = null;
  const [path, query = ''] = window.location.hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(query);
  if (!session.token) {
    fill(account);
    fill(app, signInView(({ homeCommitteeId }) => {
      void showAccount();
      go(homeCommitteeId ? dashboardHash({ committeeId: homeCommitteeId }) : '#/search');
    }));
    return;
  }
  if (!account.childElementCount) void showAccount();
  const m = /^\/committee\/([^/]+)$/.exec(path);
  if (m) {
    const view = dashboardView(
      { committeeId: decodeURIComponent(m[1]), period: q.get('period') ?? undefined, indicator: q.get('indicator') ?? undefined, plan: q.get('plan') ?? undefined },
      (p) => go(dashboardHash(p)),
    );
    dispose = view.dispose;
    fill(app, view.el);
    return;
  }
  fill(app, searchView(q.get('q') ?? '', (id) => go(dashboardHash({ committeeId: id })), (name) => {
    window.history.replaceState(null, '', `#/search?q=${encodeURIComponent(name)}`);
  }));
}

// UNAUTHENTICATED anywhere (an expired token) signs out: back to the form.
session.onSignedOut(() => {
  fill(account);
  void route();
});
window.addEventListener('hashchange', () => void route());
void route();
