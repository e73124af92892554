import { h, svg } from '../dom.js';
import { compact } from '../format.js';
import { ChartTooltip } from './chart-tooltip.js';
import { chartWidth, labelEvery, linePath, linear, ticks } from './chart-scale.js';

export interface LineSeries {
  name: string;
  /** CSS class giving the colour (`series-current`, `series-previous`). */
  className: string;
  /** One value per x label; null = no data. */
  values: readonly (number | null)[];
  /** Tooltip text of each value. */
  format: (v: number) => string;
}

export interface LineChartSpec {
  title: string;
  description: string;
  labels: readonly string[];
  /** Tooltip heading per x (e.g. the full date). */
  tooltipLabels?: readonly string[];
  series: readonly LineSeries[];
  testid: string;
  /** Pixel width to lay out for (the container's): text stays readable on a phone. */
  width?: number;
}

const PAD = { top: 16, right: 12, bottom: 32, left: 48 };

/** A multi-series line chart drawn as inline SVG (viewBox, so it scales to any width). */
export function lineChart(spec: LineChartSpec): HTMLElement {
  const figure = h('figure', { class: 'chart', testid: spec.testid });
  const W = chartWidth(spec.width);
  const H = W < 500 ? 220 : 260;
  const max = Math.max(0, ...spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const yTicks = ticks(max);
  const top = yTicks[yTicks.length - 1] ?? 1;
  const n = spec.labels.length;
  const x = (i: number) =>
    n <= 1 ? (PAD.left + W - PAD.right) / 2 : linear(n - 1, PAD.left, W - PAD.right)(i);
  const y = linear(top, H - PAD.bottom, PAD.top);
  const titleId = `${spec.testid}-title`;
  const descId = `${spec.testid}-desc`;
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-labelledby': `${titleId} ${descId}`,
    preserveAspectRatio: 'xMidYMid meet',
  });
  root.append(svg('title', { id: titleId }, spec.title), svg('desc', { id: descId }, spec.description));
  const grid = svg('g', { class: 'grid' });
  for (const t of yTicks) {
    grid.append(
      svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(t), y2: y(t) }),
      svg('text', { x: PAD.left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'axis-label' }, compact(t)),
    );
  }
  const every = labelEvery(n, Math.floor(W / 48));
  spec.labels.forEach((label, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    grid.append(svg('text', { x: x(i), y: H - 10, 'text-anchor': 'middle', class: 'axis-label' }, label));
  });
  root.append(grid);
  const tooltip = new ChartTooltip(figure);
  for (const s of spec.series) {
    const pts = s.values.map((v, i) => (v === null ? null : { x: x(i), y: y(v) }));
    root.append(svg('path', { d: linePath(pts), class: `line ${s.className}`, fill: 'none' }));
  }
  // One focusable hit area per x showing every series' value at that x.
  const hitWidth = n <= 1 ? W - PAD.left - PAD.right : (W - PAD.left - PAD.right) / (n - 1);
  spec.labels.forEach((label, i) => {
    const heading = spec.tooltipLabels?.[i] ?? label;
    const lines = [heading, ...spec.series.map((s) => `${s.name}: ${valueText(s, i)}`)];
    const g = svg('g', {
      class: 'point',
      tabindex: 0,
      role: 'img',
      'aria-label': lines.join(', '),
      testid: `${spec.testid}-point`,
    });
    g.append(svg('title', {}, lines.join('\n')));
    g.append(
      svg('rect', {
        x: x(i) - hitWidth / 2,
        y: PAD.top,
        width: hitWidth,
        height: H - PAD.top - PAD.bottom,
        class: 'hit',
      }),
    );
    for (const s of spec.series) {
      const v = s.values[i];
      if (v === null || v === undefined) continue;
      g.append(svg('circle', { cx: x(i), cy: y(v), r: n > 40 ? 2 : 3.5, class: `dot ${s.className}` }));
    }
    tooltip.attach(g, lines);
    root.append(g);
  });
  const legend = h(
    'figcaption',
    { class: 'legend' },
    ...spec.series.map((s) =>
      h(
        'span',
        { class: `legend-item ${s.className}` },
        h('i', { class: 'swatch', 'aria-hidden': 'true' }),
        s.name,
      ),
    ),
  );
  figure.prepend(root);
  figure.append(legend);
  return figure;
}

function valueText(s: LineSeries, i: number): string {
  const v = s.values[i];
  return v === null || v === undefined ? 'no data' : s.format(v);
}
