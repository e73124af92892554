import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { branchProfile } from './branch-profile.js';
import { generateDaySales } from './day-sales.generator.js';
import type { ExportFormat } from './headers.js';
import { headerLine } from './headers.js';
import { createRng, hashSeed } from './prng.js';
import { rd5000Rows } from './rd5000.renderer.js';
import { renderContext } from './render-context.js';

export interface LargeRd5000Options {
  readonly branch?: string;
  readonly pos?: number;
  readonly date?: string;
  readonly seed?: number;
  readonly format?: ExportFormat;
}

export interface LargeRd5000Result {
  readonly path: string;
  readonly bytes: number;
  readonly rows: number;
}

const ORDERS_PER_BATCH = 200;

/**
 * An rd5000 of at least `targetBytes` for load tests, written in batches of
 * a few hundred orders with write-stream backpressure, so memory does not
 * grow with the size. Times are sorted within a batch only; invoices keep
 * increasing across batches.
 */
export async function writeLargeRd5000(path: string, targetBytes: number, opts: LargeRd5000Options = {}): Promise<LargeRd5000Result> {
  const seed = opts.seed ?? 1;
  const branch = opts.branch ?? 'LOAD';
  const pos = opts.pos ?? 1;
  const date = opts.date ?? '2026-02-09';
  const format = opts.format ?? 'classic';
  const profile = branchProfile(seed, branch, format);
  const ctx = renderContext(seed, branch, pos, date, format);
  const rng = createRng(hashSeed(seed, 'large', branch, pos, date));
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const out = createWriteStream(path);
  let bytes = 0;
  let rows = 0;
  let seqOffset = 0;
  const write = async (chunk: string): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(`${headerLine('rd5000', format)}\n`);
  while (bytes < targetBytes) {
    const orders = generateDaySales(profile, rng, { orderScale: ORDERS_PER_BATCH / profile.ordersPerDay, modifiers: false, weekday });
    let chunk = '';
    for (const o of orders) {
      for (const r of rd5000Rows(ctx, { ...o, seq: o.seq + seqOffset })) {
        // rd5000 fields never need quoting: a plain join is the hot path.
        chunk += `${r.join(',')}\n`;
        rows++;
      }
      if (bytes + Buffer.byteLength(chunk) >= targetBytes) break;
    }
    seqOffset += orders.length;
    await write(chunk);
  }
  out.end();
  await finished(out);
  return { path, bytes, rows };
}
