import type { RollupDimension, RollupDoc, RollupScope } from '@posflow/contracts';

/** Sums of one key: what a rollup carries, quantity in exact ten-thousandths. */
export interface SummaryEntry {
  key: string;
  salesE4: number;
  discountE4: number;
  quantityE4: number;
  lines: number;
  receipts: number;
}

export type SummaryTable = Map<string, SummaryEntry>;

/** `\`, tab and newline in a key would break the line format: escaped as `\\`, `\t`, `\n`. */
function escapeKey(key: string): string {
  return /[\\\t\n]/.test(key)
    ? key.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n'))
    : key;
}

function unescapeKey(key: string): string {
  return key.includes('\\')
    ? key.replace(/\\([\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'))
    : key;
}

function encodeLine(e: SummaryEntry): string {
  return `${escapeKey(e.key)}\t${e.salesE4}\t${e.discountE4}\t${e.quantityE4}\t${e.lines}\t${e.receipts}`;
}

function byKey(a: SummaryEntry, b: SummaryEntry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** One packed line (`key\tsalesE4\tdiscountE4\tquantityE4\tlines\treceipts`) added to `into`. */
function addLine(into: SummaryTable, line: string): void {
  const f = line.split('\t');
  if (f.length !== 6) throw new Error(`malformed summary entry: ${JSON.stringify(line.slice(0, 200))}`);
  addEntry(into, {
    key: unescapeKey(f[0] as string),
    salesE4: Number(f[1]),
    discountE4: Number(f[2]),
    quantityE4: Number(f[3]),
    lines: Number(f[4]),
    receipts: Number(f[5]),
  });
}

/** The packed form: one line per key, keys in code-unit order, so equal tables encode equally. */
export function encodeEntries(table: SummaryTable): string {
  return [...table.values()].sort(byKey).map(encodeLine).join('\n');
}

/** Adds the packed entries to `into` (key by key); returns `into`. */
export function addEncodedEntries(into: SummaryTable, packed: string): SummaryTable {
  if (packed === '') return into;
  for (const line of packed.split('\n')) addLine(into, line);
  return into;
}

export function decodeEntries(packed: string): SummaryTable {
  return addEncodedEntries(new Map<string, SummaryEntry>(), packed);
}

/**
 * The packed form of a day summary: the entries of each date, each line
 * prefixed with its `YYYY-MM-DD` and a tab, dates ascending, keys in
 * code-unit order within a date (so equal tables encode equally).
 */
export function encodeDayEntries(days: ReadonlyMap<string, SummaryTable>): string {
  const lines: string[] = [];
  for (const date of [...days.keys()].sort()) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${JSON.stringify(date)}`);
    for (const e of [...(days.get(date) as SummaryTable).values()].sort(byKey))
      lines.push(`${date}\t${encodeLine(e)}`);
  }
  return lines.join('\n');
}

/**
 * Adds the day entries of the dates `keep` accepts to `into`, summed over
 * those dates key by key; returns `into`. Lines of other dates are skipped
 * on their date prefix, without being parsed.
 */
export function addEncodedDayEntries(
  into: SummaryTable,
  packed: string,
  keep: (date: string) => boolean,
): SummaryTable {
  if (packed === '') return into;
  for (const line of packed.split('\n')) {
    if (line.charCodeAt(10) !== 9)
      throw new Error(`malformed day entry: ${JSON.stringify(line.slice(0, 200))}`);
    if (keep(line.slice(0, 10))) addLine(into, line.slice(11));
  }
  return into;
}

export function addEntry(into: SummaryTable, e: SummaryEntry): void {
  const acc = into.get(e.key);
  if (!acc) {
    into.set(e.key, { ...e });
    return;
  }
  acc.salesE4 += e.salesE4;
  acc.discountE4 += e.discountE4;
  acc.quantityE4 += e.quantityE4;
  acc.lines += e.lines;
  acc.receipts += e.receipts;
}

/**
 * One generation's rollups packed per dimension: for each dimension, the
 * entries of both scopes. Dimensions without a rollup get empty entries, so
 * every generation has all of its summaries.
 */
export function packRollups(
  rollups: readonly Pick<
    RollupDoc,
    'dim' | 'scope' | 'key' | 'salesE4' | 'discountE4' | 'quantity' | 'lines' | 'receipts'
  >[],
  dims: readonly RollupDimension[],
): Map<RollupDimension, Record<RollupScope, string>> {
  const tables = new Map<string, SummaryTable>();
  for (const r of rollups) {
    const id = `${r.dim}|${r.scope}`;
    let t = tables.get(id);
    if (!t) tables.set(id, (t = new Map<string, SummaryEntry>()));
    addEntry(t, {
      key: r.key,
      salesE4: r.salesE4,
      discountE4: r.discountE4,
      quantityE4: Math.round(r.quantity * 10_000),
      lines: r.lines,
      receipts: r.receipts,
    });
  }
  const out = new Map<RollupDimension, Record<RollupScope, string>>();
  for (const dim of dims) {
    out.set(dim, {
      all: encodeEntries(tables.get(`${dim}|all`) ?? new Map<string, SummaryEntry>()),
      products: encodeEntries(tables.get(`${dim}|products`) ?? new Map<string, SummaryEntry>()),
    });
  }
  return out;
}
