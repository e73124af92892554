/** Axis arithmetic for the SVG charts (pure, unit-tested). */

/** A "nice" step (1, 2, 2.5 or 5 × 10^k) so that about `count` steps cover `max`. */
export function niceStep(max: number, count = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

/** Ticks from 0 to a nice ceiling at or above `max`. */
export function ticks(max: number, count = 4): number[] {
  const step = niceStep(max, count);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const out: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** Maps a value in [0, domainMax] to a pixel in [rangeStart, rangeEnd]. */
export function linear(domainMax: number, rangeStart: number, rangeEnd: number): (v: number) => number {
  const span = domainMax > 0 ? domainMax : 1;
  return (v) => rangeStart + ((rangeEnd - rangeStart) * v) / span;
}

/** Which of `n` x-labels to print so that at most `max` show, evenly spread. */
export function labelEvery(n: number, max: number): number {
  return n <= max ? 1 : Math.ceil(n / max);
}

/** An SVG path through points, skipping gaps (null) by starting a new segment. */
export function linePath(points: readonly ({ x: number; y: number } | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Layout width of a chart: its container's, within reason (720 when unknown). */
export function chartWidth(containerWidth: number | undefined): number {
  if (!containerWidth || containerWidth <= 0) return 720;
  return Math.round(Math.min(1200, Math.max(300, containerWidth)));
}
