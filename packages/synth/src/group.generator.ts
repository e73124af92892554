import { FILE_TYPES, type FileType } from '@posflow/contracts';
import { branchProfile } from './branch-profile.js';
import { NON_ASCII_PRODUCTS, QUOTED_PRODUCTS, type Product } from './catalogue.data.js';
import { csvRow } from './csv-format.js';
import { generateDaySales } from './day-sales.generator.js';
import { resolveEdgeCases, type EdgeCaseOptions, type InjectedEdgeCase, type ResolvedEdgeCases } from './edge-cases.js';
import { expectedOutput } from './expected-output.js';
import { headerLine, type ExportFormat } from './headers.js';
import { LoyaltyLog } from './loyalty-log.js';
import { discountRows, rd1800Rows, rd5500Rows, rd5900Rows } from './master-files.renderer.js';
import { createRng, hashSeed, type Rng } from './prng.js';
import { rd5000Rows, type RenderOrder } from './rd5000.renderer.js';
import { rd5800Rows } from './rd5800.renderer.js';
import { renderContext, transNoText } from './render-context.js';

export interface ScaleOptions {
  /** Multiplies orders per day (1 = realistic: a few hundred to a thousand+ rd5000 rows). */
  readonly orders?: number;
  /** Multiplies the cumulative loyalty log (1 = a few MB; tests use 0.001..0.05). */
  readonly loyalty?: number;
}

export interface GenerateGroupOptions {
  readonly branch: string;
  readonly pos: number;
  readonly date: string;
  readonly seed?: number;
  readonly format?: ExportFormat;
  readonly edgeCases?: boolean | EdgeCaseOptions;
  readonly scale?: ScaleOptions;
  /** Shared per branch by writeDataset so the cumulative log is generated once. */
  readonly loyaltyLog?: LoyaltyLog;
}

export interface GeneratedFile {
  readonly name: string;
  readonly type: FileType;
  /** `HH-MM` part of the name. */
  readonly sendTime: string;
  readonly content: Buffer;
}

export interface GeneratedGroup {
  readonly branch: string;
  readonly pos: number;
  readonly date: string;
  readonly format: ExportFormat;
  readonly closed: boolean;
  readonly files: GeneratedFile[];
  readonly injected: InjectedEdgeCase[];
  /** Data rows of the rd5000 the combiner should pick (0 when none). */
  readonly rd5000Rows: number;
  /** Rows the legacy combine yields for this group. */
  readonly expectedOutputRows: number;
  readonly expectedDroppedRows: number;
}

interface Draft {
  type: FileType;
  sendTime: string;
  rows: string[];
}

export function generateGroup(opts: GenerateGroupOptions): GeneratedGroup {
  const seed = opts.seed ?? 1;
  const format = opts.format ?? 'classic';
  const edge = resolveEdgeCases(opts.edgeCases);
  const rng = createRng(hashSeed(seed, 'group', opts.branch, opts.pos, opts.date));
  const base = { branch: opts.branch, pos: opts.pos, date: opts.date, format };
  if (rng.chance(edge.closedDays)) {
    return { ...base, closed: true, files: [], injected: [{ kind: 'closed' }], rd5000Rows: 0, expectedOutputRows: 0, expectedDroppedRows: 0 };
  }
  const extra: Product[] = [...(edge.quotedNames ? QUOTED_PRODUCTS : []), ...(edge.nonAscii ? NON_ASCII_PRODUCTS : [])];
  const profile = branchProfile(seed, opts.branch, format, extra);
  const ctx = renderContext(seed, opts.branch, opts.pos, opts.date, format);
  const weekday = new Date(`${opts.date}T00:00:00Z`).getUTCDay();
  const injected: InjectedEdgeCase[] = [];
  const orders: RenderOrder[] = generateDaySales(profile, rng, { orderScale: opts.scale?.orders ?? 1, modifiers: edge.modifiers, weekday });
  injectOrderAnomalies(orders, rng, edge, opts.date, injected);

  const byOrder5000 = orders.map((o) => rd5000Rows(ctx, o));
  // The new build writes its last receipt first (seen in BETA); the classic one is in invoice order.
  if (format === 'new' && byOrder5000.length > 1) byOrder5000.unshift(byOrder5000.pop() ?? []);
  const rows5000 = byOrder5000.flat();
  const rows5800 = orders.flatMap((o) => rd5800Rows(ctx, o));
  const rows5500 = rd5500Rows(ctx, profile.menu);

  if (rng.chance(edge.shortRows)) {
    const sold = rows5000.filter((r) => !(r[4] ?? '').startsWith('SDis'));
    const victim = sold.length > 0 ? rng.pick(sold) : undefined;
    if (victim) victim.length = 20;
    const product = victim?.[4] ?? '';
    const row5500 = rows5500.find((r) => r[0] === product) ?? rows5500[0];
    if (row5500) row5500.length = 3;
    const row5800 = rows5800.length > 0 ? rng.pick(rows5800) : undefined;
    if (row5800) row5800.length = 12;
    injected.push({ kind: 'short-rows', product: row5500?.[0] ?? '' });
  }

  const loyalty = opts.loyaltyLog ?? new LoyaltyLog(seed, opts.branch, profile.loyaltyStore, opts.scale?.loyalty ?? 1);
  const blpr = profile.loyaltyEmpty
    ? []
    : [...loyalty.historyUpTo(opts.date), ...loyalty.todayRows(rng, orders.map((o) => transNoText(ctx, o.seq)))].map((l) => `${l},${opts.pos},${opts.branch}`);

  const sendTime = hhmm(profile.sendHour * 60 + rng.int(0, 40));
  const csv = (rows: string[][]): string[] => rows.map(csvRow);
  let drafts: Draft[] = [
    { type: 'rd5000', sendTime, rows: csv(rows5000) },
    { type: 'rd5500', sendTime, rows: csv(rows5500) },
    { type: 'rd1800', sendTime, rows: csv(rd1800Rows(ctx)) },
    { type: 'discount', sendTime, rows: csv(discountRows(ctx)) },
    { type: 'rd5800', sendTime, rows: csv(rows5800) },
    { type: 'rd5900', sendTime, rows: csv(rd5900Rows(ctx)) },
    { type: 'blpr', sendTime, rows: blpr },
  ];
  drafts = injectResend(drafts, rng, edge, sendTime, injected);
  if (rng.chance(edge.missingTypes)) {
    const weights = FILE_TYPES.map((t) => (t === 'rd5000' ? 1 : 2));
    const missing = new Set<FileType>();
    const n = rng.int(1, 2);
    while (missing.size < n) missing.add(FILE_TYPES[rng.weightedIndex(weights)] ?? 'blpr');
    drafts = drafts.filter((d) => !missing.has(d.type));
    injected.push({ kind: 'missing-types', types: [...missing] });
  }
  const blank = rng.chance(edge.blankLines);
  if (blank) injected.push({ kind: 'blank-line' });
  const eol = rng.chance(edge.crlf) ? '\r\n' : '\n';
  if (eol === '\r\n') injected.push({ kind: 'crlf' });

  const files = drafts.map((d): GeneratedFile => {
    const lines = [headerLine(d.type, format), ...d.rows];
    if (blank && d.type === 'rd5000') lines.push('');
    return {
      name: `a_${opts.branch}_${opts.pos}_${d.type}_${opts.date}_${d.sendTime}_.csv`,
      type: d.type,
      sendTime: d.sendTime,
      content: Buffer.from(lines.join(eol) + eol, 'utf8'),
    };
  });
  const expected = expectedOutput(files, { date: opts.date, newFormat: format === 'new' });
  const droppedRows = expected.dropped.otherDate + expected.dropped.badHour + expected.dropped.noDepartment;
  return { ...base, closed: false, files, injected, rd5000Rows: expected.rd5000Rows, expectedOutputRows: expected.outputRows, expectedDroppedRows: droppedRows };
}

function injectOrderAnomalies(orders: RenderOrder[], rng: Rng, edge: ResolvedEdgeCases, date: string, injected: InjectedEdgeCase[]): void {
  if (orders.length > 0 && rng.chance(edge.hourAnomalies)) {
    const morning = orders.map((o, i) => ({ o, i })).filter(({ o }) => o.hour < 10);
    const { o, i } = morning.length > 0 ? rng.pick(morning) : { o: rng.pick(orders), i: rng.int(0, orders.length - 1) };
    const hour = o.hour < 10 ? o.hour : rng.int(6, 9);
    const time = `${hour}:${String(o.minute).padStart(2, '0')}`;
    orders[i] = { ...(orders[i] ?? o), hour, timeText: time };
    injected.push({ kind: 'hour-anomaly', time, rows: o.lines.length + (o.discount ? 1 : 0) });
  }
  const last = orders[orders.length - 1];
  if (last && rng.chance(edge.otherDateRows)) {
    const prev = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    // A receipt rung up just before midnight of the previous day, posted with this day's export.
    orders.push({ ...last, seq: last.seq + 1, hour: 23, minute: rng.int(30, 59), dateOverride: prev, timeText: undefined });
    injected.push({ kind: 'other-date-rows', rows: last.lines.length + (last.discount ? 1 : 0), date: prev });
  }
}

function injectResend(drafts: Draft[], rng: Rng, edge: ResolvedEdgeCases, sendTime: string, injected: InjectedEdgeCase[]): Draft[] {
  if (!rng.chance(edge.resend)) return drafts;
  const candidates = drafts.filter((d) => d.rows.length >= 2);
  if (candidates.length === 0) return drafts;
  const chosen = rng.shuffle(candidates).slice(0, rng.int(1, 3));
  const rd5000 = candidates.find((d) => d.type === 'rd5000');
  if (rd5000 && !chosen.includes(rd5000) && rng.chance(0.5)) chosen[0] = rd5000;
  const [h = '20', m = '00'] = sendTime.split('-');
  const later = hhmm(Math.min(23 * 60 + 59, Number(h) * 60 + Number(m) + rng.int(10, 90)));
  const variant = rng.chance(0.5) ? 'more' : 'fewer';
  const out = [...drafts];
  for (const d of chosen) {
    const keep = Math.min(d.rows.length - 1, Math.max(1, Math.floor(d.rows.length * (0.6 + rng.next() * 0.35))));
    const partial = d.rows.slice(0, keep);
    // 'more': the first send was cut short and the later one is complete; 'fewer': the reverse.
    if (variant === 'more') {
      out[out.indexOf(d)] = { ...d, rows: partial };
      out.push({ ...d, sendTime: later });
    } else out.push({ ...d, sendTime: later, rows: partial });
  }
  injected.push({ kind: 'resend', types: chosen.map((d) => d.type), variant });
  return out;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}-${String(minutes % 60).padStart(2, '0')}`;
}
