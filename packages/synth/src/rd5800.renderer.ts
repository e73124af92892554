import { fixed3, pyFloat4 } from './csv-format.js';
import { timeText, type RenderOrder } from './rd5000.renderer.js';
import { invoiceText, transNoText, type RenderContext } from './render-context.js';

/** One row per tender; TRANSNO (col 20) ties it to the rd5000 order, PAYCODE (col 11) to rd5900. */
export function rd5800Rows(ctx: RenderContext, o: RenderOrder): string[][] {
  const date = o.dateOverride ?? ctx.date;
  const inv = invoiceText(ctx, o.seq);
  const trans = transNoText(ctx, o.seq);
  const time = timeText(o);
  if (ctx.format === 'new') {
    const stamp = `${date}T${String(o.hour).padStart(2, '0')}:${String(o.minute).padStart(2, '0')}:${String(o.second).padStart(2, '0')}`;
    return o.tenders.map((t, i) => [
      '1', stamp, inv, o.cashier, pyFloat4(t.amount), pyFloat4(t.change), '', t.ref, date, time, 'S', t.method.newCode, 'S',
      t.ref, '0', String(i + 1), '', '', '', '0', trans, '', '',
    ]);
  }
  const stamp = `${date} 00:00:00`;
  return o.tenders.map((t, i) => [
    String(ctx.pos), stamp, inv, o.cashier, fixed3(t.amount), fixed3(t.change), '', t.ref, stamp, time, 'S', t.method.code, 'S',
    '', o.type === 'C' ? `fp${(o.seq * 7919) % 10000}` : String((o.seq * 37) % 100), String(i + 1), '', '', '',
    o.discount?.vatExempt === true ? '1' : '0', trans, String(ctx.pos), ctx.branch,
  ]);
}
