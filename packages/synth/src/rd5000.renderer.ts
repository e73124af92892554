import { DEPARTMENTS, type Product } from './catalogue.data.js';
import { fixed3, pyFloat4 } from './csv-format.js';
import type { Order } from './day-sales.generator.js';
import { invoiceText, transNoText, type RenderContext } from './render-context.js';
import { hashSeed } from './prng.js';

/** An order as written: edge cases may override its TIME text or DATE. */
export interface RenderOrder extends Order {
  readonly timeText?: string;
  readonly dateOverride?: string;
}

export function timeText(o: RenderOrder): string {
  return o.timeText ?? `${String(o.hour).padStart(2, '0')}:${String(o.minute).padStart(2, '0')}`;
}

/** The classic build stores a per-product VAT divisor of 9.330 or 9.333 (rd5500 TAX1DIV). */
export function vatDiv(p: Product): string {
  return hashSeed(p.code) % 3 === 0 ? '9.330' : '9.333';
}

export function deptNewCode(code: string): string {
  return DEPARTMENTS.find((d) => d.code === code)?.newCode ?? code;
}

/** One order's rd5000 rows, as field arrays (edge cases may truncate them). */
export function rd5000Rows(ctx: RenderContext, o: RenderOrder): string[][] {
  return ctx.format === 'new' ? newRows(ctx, o) : classicRows(ctx, o);
}

function classicRows(ctx: RenderContext, o: RenderOrder): string[][] {
  const date = o.dateOverride ?? ctx.date;
  const stamp = `${date} 00:00:00`;
  const inv = invoiceText(ctx, o.seq);
  const trans = transNoText(ctx, o.seq);
  const d = o.discount;
  const exempt = d?.vatExempt === true;
  const pct = d?.type === 'SUBTOTAL PERCENT' ? d.value / 100 : 0;
  const time = timeText(o);
  const head = (code: string): string[] => [String(ctx.pos), stamp, inv, o.cashier, code];
  const mid = (dept: string, backjob: string): string[] => [
    d ? 'SP' : '', dept, stamp, time, '', 'S', '', 'S', d?.code ?? '', o.customer?.id ?? '', o.customer?.card ?? '', o.type, backjob, '0', '', '', '0',
  ];
  const tail = [trans, String(ctx.pos), ctx.branch];
  let totalOff = 0;
  const rows = o.lines.map((l, i) => {
    const unit = exempt ? l.product.price / 1.12 : l.product.price;
    const amount = unit * l.qty;
    const off = amount * pct;
    totalOff += off;
    return [
      ...head(l.product.code), fixed3(l.qty), fixed3(unit), fixed3(amount), fixed3(-off), '0.000',
      ...mid(l.product.dept, '1'), '1', String(i + 1), '0', '0.000', exempt ? '0' : '1', vatDiv(l.product), l.product.code,
      fixed3(exempt ? amount : amount / 1.12), '0.000', fixed3(exempt ? unit : unit / 1.12), ...tail,
    ];
  });
  if (d) {
    if (d.type === 'SUBTOTAL AMOUNT') totalOff = d.value;
    const label = d.type === 'SUBTOTAL PERCENT' ? `SDis- ${d.value.toFixed(2)}%` : `SDis- ${d.value.toFixed(2)}`;
    rows.push([
      ...head(label), '1.000', fixed3(d.value), fixed3(-totalOff), '0.000', '0.000',
      ...mid('', '0'), '0', String(rows.length + 1), '1', '0.000', '', '0.000', '', fixed3(-totalOff), '0.000', '0.000', ...tail,
    ]);
  }
  return rows;
}

function newRows(ctx: RenderContext, o: RenderOrder): string[][] {
  const date = o.dateOverride ?? ctx.date;
  const hh = String(o.hour).padStart(2, '0');
  const mm = String(o.minute).padStart(2, '0');
  const ss = String(o.second).padStart(2, '0');
  const inv = invoiceText(ctx, o.seq);
  const d = o.discount;
  const pct = d?.type === 'SUBTOTAL PERCENT' ? d.value / 100 : 0;
  return o.lines.map((l) => {
    const gross = l.product.price * l.qty;
    const base = d?.vatExempt === true ? gross / 1.12 : gross;
    const off = base * pct;
    const amount = base - off;
    const exempt = d?.vatExempt === true;
    return [
      '1', `${date}T${hh}:${mm}:${ss}`, inv, o.cashier, l.product.code, String(l.qty), String(l.product.price),
      pyFloat4(amount), pyFloat4(off), '0', '', '', date, timeText(o), '', 'S', '', 'S', d?.newCode ?? '', '', '', o.type,
      '1', '0', '', '', '0', '1', '1', '0', '0', exempt && d.newCode === 'PWD' ? '0' : '1',
      exempt ? '0.0' : pyFloat4(amount - amount / 1.12), l.product.code,
      exempt ? '0.0' : pyFloat4(amount / 1.12), exempt ? pyFloat4(amount) : '0.0', exempt ? '0.0' : pyFloat4(amount / 1.12),
      inv, '', '',
    ];
  });
}
