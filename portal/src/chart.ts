// A horizontal bar chart drawn as SVG: one bar per child committee, its
// value written at the end. No library: scales are a division.
import { num, svg } from './dom';

export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly value: number | null;
}

const ROW = 20;
const LABEL = 200;
const WIDTH = 760;
const VALUE = 70;

export function barChart(bars: readonly Bar[], title: string, unit: string): SVGElement {
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const plot = WIDTH - LABEL - VALUE;
  const height = bars.length * ROW + 10;
  const suffix = unit === 'PERCENT' ? ' %' : '';
  return svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img', 'aria-label': title, 'data-testid': 'chart' },
    svg('title', {}, title),
    bars.map((b, i) => {
      const y = i * ROW + 5;
      const w = max > 0 && b.value != null ? (b.value / max) * plot : 0;
      return svg(
        'g',
        {},
        svg('text', { x: LABEL - 6, y: y + ROW * 0.65, 'text-anchor': 'end', class: 'chart-label' }, truncate(b.label, 30)),
        svg(
          'rect',
          { x: LABEL, y: y + 2, width: w.toFixed(1), height: ROW - 4, class: 'chart-bar', 'data-testid': 'bar', 'data-child': b.key, 'data-value': b.value ?? '' },
          svg('title', {}, `${b.label}: ${num(b.value, 1)}${suffix}`),
        ),
        svg('text', { x: LABEL + w + 4, y: y + ROW * 0.65, class: 'chart-value' }, `${num(b.value, 1)}${suffix}`),
      );
    }),
  );
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
