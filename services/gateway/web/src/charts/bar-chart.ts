import { h, svg } from '../dom.js';
import { compact } from '../format.js';
import { ChartTooltip } from './chart-tooltip.js';
import { chartWidth, linear, ticks } from './chart-scale.js';

export interface Bar {
  label: string;
  value: number;
  /** Tooltip lines after the label (sales, quantity, TC, AC, …). */
  details: readonly string[];
  /** Optional comparison value (e.g. last year), drawn as a thin marker. */
  previous?: number | undefined;
}

export interface BarChartSpec {
  title: string;
  description: string;
  bars: readonly Bar[];
  /** Horizontal bars suit long labels (products); vertical ones suit hours. */
  orientation: 'horizontal' | 'vertical';
  valueLabel: (v: number) => string;
  testid: string;
  /** Pixel width to lay out for (the container's): text stays readable on a phone. */
  width?: number;
}

/** A bar chart drawn as inline SVG; every bar is focusable and has its figures as title and tooltip. */
export function barChart(spec: BarChartSpec): HTMLElement {
  const figure = h('figure', { class: `chart chart-${spec.orientation}`, testid: spec.testid });
  const tooltip = new ChartTooltip(figure);
  const root = spec.orientation === 'horizontal' ? horizontal(spec, tooltip) : vertical(spec, tooltip);
  figure.prepend(root);
  if (spec.bars.length === 0) figure.append(h('p', { class: 'empty' }, 'No data for this selection.'));
  else if (spec.bars.some((b) => b.previous !== undefined))
    figure.append(
      h(
        'figcaption',
        { class: 'legend' },
        h(
          'span',
          { class: 'legend-item' },
          h('i', { class: 'swatch swatch-bar', 'aria-hidden': 'true' }),
          'This period',
        ),
        h(
          'span',
          { class: 'legend-item' },
          h('i', { class: 'swatch swatch-marker', 'aria-hidden': 'true' }),
          'Last year',
        ),
      ),
    );
  return figure;
}

function frame(spec: BarChartSpec, w: number, hgt: number): SVGSVGElement {
  const titleId = `${spec.testid}-title`;
  const descId = `${spec.testid}-desc`;
  const root = svg('svg', {
    viewBox: `0 0 ${w} ${hgt}`,
    role: 'img',
    'aria-labelledby': `${titleId} ${descId}`,
  });
  root.append(svg('title', { id: titleId }, spec.title), svg('desc', { id: descId }, spec.description));
  return root;
}

function mark(
  spec: BarChartSpec,
  bar: Bar,
  tooltip: ChartTooltip,
  attrs: Record<string, number>,
): SVGGElement {
  const lines = [bar.label, ...bar.details];
  const g = svg('g', {
    class: 'bar',
    tabindex: 0,
    role: 'img',
    'aria-label': lines.join(', '),
    testid: `${spec.testid}-bar`,
  });
  g.append(svg('title', {}, lines.join('\n')), svg('rect', { ...attrs, rx: 2 }));
  tooltip.attach(g, lines);
  return g;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function horizontal(spec: BarChartSpec, tooltip: ChartTooltip): SVGSVGElement {
  const W = chartWidth(spec.width);
  const rowH = 26;
  // Labels get about a third of a narrow chart; ~7 px per character of 12 px text.
  const labelW = Math.min(210, Math.round(W * 0.36));
  const valueW = W < 500 ? 64 : 90;
  const labelChars = Math.floor(labelW / 7);
  const H = Math.max(rowH, spec.bars.length * rowH) + 8;
  const max = Math.max(0, ...spec.bars.map((b) => Math.max(b.value, b.previous ?? 0)));
  const x = linear(ticks(max).at(-1) ?? 1, labelW, W - valueW);
  const root = frame(spec, W, H);
  spec.bars.forEach((b, i) => {
    const y = 4 + i * rowH;
    root.append(
      svg(
        'text',
        { x: labelW - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'bar-label' },
        truncate(b.label, labelChars),
      ),
    );
    const g = mark(spec, b, tooltip, {
      x: labelW,
      y: y + 4,
      width: Math.max(1, x(Math.max(0, b.value)) - labelW),
      height: rowH - 8,
    });
    if (b.previous !== undefined)
      g.append(
        svg('line', {
          x1: x(b.previous),
          x2: x(b.previous),
          y1: y + 2,
          y2: y + rowH - 2,
          class: 'previous-marker',
        }),
      );
    root.append(g);
    root.append(
      svg('text', { x: W - valueW + 6, y: y + rowH / 2 + 4, class: 'bar-value' }, spec.valueLabel(b.value)),
    );
  });
  return root;
}

function vertical(spec: BarChartSpec, tooltip: ChartTooltip): SVGSVGElement {
  const W = chartWidth(spec.width);
  const H = W < 500 ? 200 : 240;
  const pad = { top: 12, right: 8, bottom: 34, left: 44 };
  const max = Math.max(0, ...spec.bars.map((b) => Math.max(b.value, b.previous ?? 0)));
  const yTicks = ticks(max);
  const y = linear(yTicks.at(-1) ?? 1, H - pad.bottom, pad.top);
  const root = frame(spec, W, H);
  for (const t of yTicks) {
    root.append(
      svg('line', { x1: pad.left, x2: W - pad.right, y1: y(t), y2: y(t), class: 'grid-line' }),
      svg('text', { x: pad.left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'axis-label' }, compact(t)),
    );
  }
  const n = Math.max(1, spec.bars.length);
  const slot = (W - pad.left - pad.right) / n;
  const bw = Math.max(2, slot * 0.7);
  // Print every label that fits (about 40 px each), evenly thinned.
  const every = Math.max(1, Math.ceil((n * 40) / (W - pad.left - pad.right)));
  spec.bars.forEach((b, i) => {
    const cx = pad.left + slot * i + slot / 2;
    const top = y(Math.max(0, b.value));
    const g = mark(spec, b, tooltip, {
      x: cx - bw / 2,
      y: top,
      width: bw,
      height: Math.max(1, H - pad.bottom - top),
    });
    if (b.previous !== undefined)
      g.append(
        svg('line', {
          x1: cx - bw / 2,
          x2: cx + bw / 2,
          y1: y(b.previous),
          y2: y(b.previous),
          class: 'previous-marker',
        }),
      );
    root.append(g);
    if (i % every === 0)
      root.append(
        svg(
          'text',
          { x: cx, y: H - pad.bottom + 16, 'text-anchor': 'middle', class: 'axis-label' },
          truncate(b.label, Math.max(4, Math.floor((slot * every) / 7))),
        ),
      );
  });
  return root;
}
