// Finding a committee by name: `nameContains` ignores case and diacritics on
// the server, so "tuyen quang" finds "Tuyên Quang". Paging follows the
// connection's pageInfo: ask for `first` after `endCursor` while
// `hasNextPage`.
import { describeError, request } from './client';
import { fill, h } from './dom';
import { graphql } from './graphql';
import { LEVEL } from './labels';
import type { searchCommitteesQuery } from './__generated__/searchCommitteesQuery.graphql';

const CommitteesQuery = graphql`
  query searchCommitteesQuery($name: String!, $first: Int!, $after: String) {
    committees(filter: { nameContains: $name }, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          level
          code
          parent {
            name
          }
        }
      }
    }
  }
`;

const PAGE = 20;

export function searchView(initial: string, open: (committeeId: string) => void, onQuery: (q: string) => void): HTMLElement {
  const input = h('input', { type: 'search', name: 'q', value: initial, placeholder: 'ví dụ: tuyen quang', 'data-testid': 'search-input' });
  const status = h('p', { class: 'muted', 'data-testid': 'search-status' });
  const list = h('ul', { class: 'results', 'data-testid': 'search-results' });
  const more = h('button', { type: 'button', hidden: true, 'data-testid': 'search-more' }, 'Xem thêm');
  let cursor: string | null = null;
  let name = '';

  async function load(reset: boolean): Promise<void> {
    if (reset) {
      cursor = null;
      fill(list);
    }
    status.textContent = 'Đang tìm…';
    more.hidden = true;
    try {
      const { committees } = await request<searchCommitteesQuery>(CommitteesQuery, { name, first: PAGE, after: cursor });
      for (const { node } of committees.edges) {
        list.append(
          h(
            'li',
            {},
            h('a', { href: `#/committee/${encodeURIComponent(node.id)}`, 'data-testid': 'search-result', 'data-code': node.code, onclick: (e: Event) => { e.preventDefault(); open(node.id); } }, node.name),
            ' ',
            h('span', { class: 'muted' }, `${LEVEL[node.level] ?? node.level} · mã ${node.code}${node.parent ? ` · thuộc ${node.parent.name}` : ''}`),
          ),
        );
      }
      status.textContent = `${committees.totalCount} kết quả`;
      cursor = committees.pageInfo.endCursor ?? null;
      more.hidden = !committees.pageInfo.hasNextPage;
    } catch (e) {
      status.textContent = describeError(e);
    }
  }

  const form = h('form', { class: 'search', 'data-testid': 'search-form' }, h('label', {}, 'Tìm ban chỉ đạo theo tên (không cần dấu) ', input), h('button', { type: 'submit' }, 'Tìm'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    name = input.value.trim();
    onQuery(name);
    if (name) void load(true);
  });
  more.addEventListener('click', () => void load(false));
  if (initial) {
    name = initial;
    void load(true);
  }
  return h('section', { class: 'card' }, h('h2', {}, 'Tìm đơn vị'), form, status, list, more);
}
