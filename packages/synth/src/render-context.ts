import type { ExportFormat } from './headers.js';
import { hashSeed } from './prng.js';

/** What every renderer of one group needs to know. */
export interface RenderContext {
  readonly branch: string;
  readonly pos: number;
  readonly date: string;
  readonly format: ExportFormat;
  /** Invoice number of the day's first order. */
  readonly firstInvoice: number;
  /** TRANSNO of the day's first order (classic: a separate, lower counter). */
  readonly firstTransNo: number;
}

const EPOCH = Date.parse('2020-01-01T00:00:00Z');

/** POS counters only go up: derive the day's first number from the date so every day stands alone. */
export function renderContext(seed: number, branch: string, pos: number, date: string, format: ExportFormat): RenderContext {
  const day = Math.max(0, Math.round((Date.parse(`${date}T00:00:00Z`) - EPOCH) / 86_400_000));
  const base = hashSeed(seed, 'counter', branch, pos) % 90_000;
  const firstInvoice = (format === 'new' ? 7_000 : 10_000) + base + day * 1_000;
  const firstTransNo = format === 'new' ? firstInvoice : firstInvoice - 1_000 - (base % 3_000);
  return { branch, pos, date, format, firstInvoice, firstTransNo };
}

export function invoiceText(ctx: RenderContext, seq: number): string {
  const n = ctx.firstInvoice + seq;
  return ctx.format === 'new' ? String(10_000_000_000_000 + n) : String(n).padStart(8, '0');
}

export function transNoText(ctx: RenderContext, seq: number): string {
  const n = ctx.firstTransNo + seq;
  return ctx.format === 'new' ? String(10_000_000_000_000 + n) : String(n).padStart(8, '0');
}
