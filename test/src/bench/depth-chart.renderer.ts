import { STAGES, type Stage } from '@posflow/contracts';
import type { PipelineSample } from './pipeline.sampler.js';

export interface ChartPanel {
  title: string;
  samples: readonly PipelineSample[];
  /** Partitions of the run: the progress line is drawn against it. */
  total: number;
}

const WIDTH = 960;
const PANEL_H = 260;
const PAD = { left: 64, right: 200, top: 34, bottom: 40 };
const COLOURS: Record<Stage | 'progress', string> = {
  fetch: '#1f77b4',
  combine: '#ff7f0e',
  import: '#2ca02c',
  progress: '#7f7f7f',
};

/**
 * Queue depths over time as an SVG, one panel per run: a line per work queue
 * (left axis, messages) and the share of partitions finished (dashed, right
 * axis, %), so a reader sees which stage held the backlog and when it drained.
 * Plain SVG with no fonts beyond the generic family, so rsvg-convert renders
 * it identically everywhere.
 */
export function renderDepthChartSvg(panels: readonly ChartPanel[]): string {
  const height = panels.length * PANEL_H;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];
  // One time axis for every panel, so runs compare at a glance.
  const maxT = Math.max(1, ...panels.flatMap((p) => p.samples.map((s) => s.t)));
  panels.forEach((panel, i) => parts.push(renderPanel(panel, i * PANEL_H, maxT)));
  parts.push('</svg>');
  return parts.join('\n');
}

function renderPanel(panel: ChartPanel, top: number, maxT: number): string {
  const x0 = PAD.left;
  const x1 = WIDTH - PAD.right;
  const y0 = top + PANEL_H - PAD.bottom;
  const y1 = top + PAD.top;
  const samples = panel.samples;
  const maxDepth = niceCeil(Math.max(1, ...samples.flatMap((s) => STAGES.map((st) => s.depth[st]))));
  const sx = (t: number): number => x0 + (t / maxT) * (x1 - x0);
  const sy = (v: number, max: number): number => y0 - (v / max) * (y0 - y1);
  const out: string[] = [`<text x="${x0}" y="${top + 20}" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`];

  for (const frac of [0, 0.25, 0.5, 0.75, 1]) {
    const y = sy(frac * maxDepth, maxDepth);
    out.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${x0 - 6}" y="${y + 4}" text-anchor="end">${fmt(frac * maxDepth)}</text>`);
    out.push(`<text x="${x1 + 6}" y="${y + 4}" fill="${COLOURS.progress}">${Math.round(frac * 100)}%</text>`);
  }
  for (const t of ticks(maxT)) {
    const x = sx(t);
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 4}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${y0 + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333"/>`);
  out.push(`<text x="${(x0 + x1) / 2}" y="${y0 + 32}" text-anchor="middle">seconds since the backfill was enqueued</text>`);
  out.push(`<text transform="translate(${x0 - 48} ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">messages in queue</text>`);

  const progress = samples.map((s) => `${sx(s.t).toFixed(1)},${sy(s.finished, Math.max(1, panel.total)).toFixed(1)}`);
  out.push(polyline(progress, COLOURS.progress, '5,4'));
  for (const stage of STAGES) {
    out.push(polyline(samples.map((s) => `${sx(s.t).toFixed(1)},${sy(s.depth[stage], maxDepth).toFixed(1)}`), COLOURS[stage]));
  }

  const legend: Array<[string, string, string | undefined]> = [
    ...STAGES.map((s): [string, string, undefined] => [`posflow.${s}`, COLOURS[s], undefined]),
    ['finished (%)', COLOURS.progress, '5,4'],
  ];
  legend.forEach(([label, colour, dash], k) => {
    const y = y1 + 8 + k * 18;
    const lx = x1 + 46;
    out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 18}" y2="${y}" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    out.push(`<text x="${lx + 22}" y="${y + 4}">${label}</text>`);
  });
  return out.join('\n');
}

function polyline(points: string[], colour: string, dash?: string): string {
  if (points.length === 0) return '';
  return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

/** 1, 2 or 5 times a power of ten, at least `v`. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function ticks(maxT: number): number[] {
  const step = niceCeil(maxT / 8);
  const out: number[] = [];
  for (let t = 0; t <= maxT; t += step) out.push(t);
  return out;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}
