import {
  ROLLUP_DIMENSIONS,
  type DaySummaryDoc,
  type MonthSummaryDoc,
  type PartitionDoc,
  type PartitionSummaryDoc,
  type RollupScope,
} from '@posflow/contracts';
import {
  addEntry,
  decodeEntries,
  encodeDayEntries,
  encodeEntries,
  type SummaryEntry,
  type SummaryTable,
} from './summary-entries.js';

// The pure part of a month-summary rebuild (SalesSummariesWriter does the reads and writes).

const SCOPES = ['all', 'products'] as const satisfies readonly RollupScope[];

/** A branch-month's sums per `<dim>|<scope>`: over the month, and per date. */
export interface MonthTables {
  month: Map<string, SummaryTable>;
  days: Map<string, Map<string, SummaryTable>>;
}

/** partitionId → current generation of the loaded partitions among `docs` dated in `ym`, by id. */
export function currentGenerations(
  docs: readonly Pick<PartitionDoc, '_id' | 'date' | 'generation'>[],
  ym: string,
): Map<string, number> {
  return new Map(
    docs
      .filter((d) => d.generation > 0 && d.date.startsWith(ym))
      .map((d) => [d._id, d.generation] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

function tableOf<K>(tables: Map<K, SummaryTable>, id: K): SummaryTable {
  let t = tables.get(id);
  if (!t) tables.set(id, (t = new Map<string, SummaryEntry>()));
  return t;
}

/** The month's and each date's sums of a branch-month's current partition summaries. */
export function sumMonth(docs: readonly PartitionSummaryDoc[]): MonthTables {
  const out: MonthTables = { month: new Map(), days: new Map() };
  for (const d of docs) {
    for (const scope of SCOPES) {
      const id = `${d.dim}|${scope}`;
      const month = tableOf(out.month, id);
      let byDate = out.days.get(id);
      if (!byDate) out.days.set(id, (byDate = new Map<string, SummaryTable>()));
      const day = tableOf(byDate, d.date);
      for (const e of decodeEntries(d[scope]).values()) {
        addEntry(month, e);
        addEntry(day, e);
      }
    }
  }
  return out;
}

/** A branch-month's sixteen day summaries and eight month summaries (every dimension and scope). */
export function monthSummaryDocs(
  branch: string,
  ym: string,
  parts: string,
  tables: MonthTables,
  updatedAt: Date,
): { days: DaySummaryDoc[]; months: MonthSummaryDoc[] } {
  const base = { branch, year: Number(ym.slice(0, 4)), ym, parts, updatedAt };
  const days: DaySummaryDoc[] = ROLLUP_DIMENSIONS.flatMap((dim) =>
    SCOPES.map((scope) => ({
      _id: `${branch}|${ym}|${dim}|${scope}`,
      ...base,
      dim,
      scope,
      entries: encodeDayEntries(tables.days.get(`${dim}|${scope}`) ?? new Map<string, SummaryTable>()),
    })),
  );
  const months: MonthSummaryDoc[] = ROLLUP_DIMENSIONS.map((dim) => ({
    _id: `${branch}|${ym}|${dim}`,
    ...base,
    dim,
    all: encodeEntries(tables.month.get(`${dim}|all`) ?? new Map<string, SummaryEntry>()),
    products: encodeEntries(tables.month.get(`${dim}|products`) ?? new Map<string, SummaryEntry>()),
  }));
  return { days, months };
}
