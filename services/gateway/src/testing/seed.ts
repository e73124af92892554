import type { Db } from 'mongodb';
import {
  Collections,
  ROLLUP_DIMENSIONS,
  partitionId,
  type ParsedRow,
  type PartitionKey,
  type RollupDoc,
  type TransactionDoc,
} from '@posflow/contracts';
import { SalesSummariesWriter, type PartitionsRepository } from '@posflow/dal';

/** A ParsedRow with plausible defaults (tests override what they assert on). */
export function makeRow(key: PartitionKey, line: number, over: Partial<ParsedRow> = {}): ParsedRow {
  const hour = over.hour ?? 12;
  const d = new Date(`${key.date}T00:00:00Z`);
  return {
    line,
    legacy: `legacy ${partitionId(key)} line ${line}`,
    branch: key.branch,
    branchName: key.branch,
    pos: key.pos,
    date: key.date,
    time: `${String(hour).padStart(2, '0')}:${String(line % 60).padStart(2, '0')}`,
    hour,
    daypart: 'Lunch',
    weekday: d.getUTCDay(),
    month: d.getUTCMonth() + 1,
    year: d.getUTCFullYear(),
    receiptNo: `R${line}`,
    transNo: `T${line}`,
    itemCode: 'ITEM',
    productName: 'CRISPY 1PC',
    productClean: 'CRISPY 1PC',
    productCombined: 'CRISPY',
    category: 'CHICKEN',
    departmentCode: '01',
    departmentName: 'CHICKEN MEALS',
    departmentClean: 'CHICKEN MEALS',
    quantity: 1,
    unitPriceE4: 1_490_000,
    amountE4: 1_490_000,
    discountE4: 0,
    vatFlag: '1',
    vatDiv: '9.333',
    vatAmountE4: 0,
    vatDiscountE4: 0,
    vatPriceE4: 0,
    discountCode: '',
    discountName: '',
    typeCode: 'D',
    transactionType: 'Dine-In',
    paymentCode: '1',
    paymentName: 'CASH',
    phone: '',
    isModifier: false,
    ...over,
  };
}

const rollupKey = (dim: string, r: ParsedRow): string => {
  switch (dim) {
    case 'day':
      return r.date;
    case 'hour':
      return r.hour === null ? '' : String(r.hour);
    case 'daypart':
      return r.daypart;
    case 'department':
      return r.departmentClean;
    case 'product':
      return r.productClean;
    case 'category':
      return r.category;
    case 'payment':
      return r.paymentName;
    default:
      return r.discountName;
  }
};

/** Rollups as the importer writes them: per dimension, key and scope, receipts distinct within the partition. */
export function rollupsFor(key: PartitionKey, generation: number, rows: readonly ParsedRow[]): RollupDoc[] {
  const pid = partitionId(key);
  const pg = `${pid}#${generation}`;
  const d = new Date(`${key.date}T00:00:00Z`);
  const out = new Map<string, RollupDoc & { receiptSet: Set<string> }>();
  for (const dim of ROLLUP_DIMENSIONS)
    for (const scope of ['all', 'products'] as const)
      for (const r of rows) {
        if (scope === 'products' && r.isModifier) continue;
        const k = rollupKey(dim, r);
        const id = `${pg}:${dim}:${scope}:${k}`;
        let doc = out.get(id);
        if (!doc) {
          doc = {
            _id: id, partitionId: pid, generation, pg, branch: key.branch, pos: key.pos, date: key.date,
            year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay(), dim, key: k, scope,
            salesE4: 0, discountE4: 0, quantity: 0, lines: 0, receipts: 0, receiptSet: new Set(),
          };
          out.set(id, doc);
        }
        doc.salesE4 += r.amountE4 ?? 0;
        doc.discountE4 += r.discountE4 ?? 0;
        doc.quantity += r.quantity ?? 0;
        doc.lines += 1;
        doc.receiptSet.add(r.receiptNo);
        doc.receipts = doc.receiptSet.size;
      }
  return [...out.values()].map(({ receiptSet: _s, ...doc }) => doc);
}

/** Writes a loaded generation of a partition directly (rows, rollups, partition status), as the importer would. */
export async function seedLoaded(
  db: Db,
  partitions: PartitionsRepository,
  key: PartitionKey,
  rows: readonly ParsedRow[],
  generation = 1,
  opts: { rollups?: boolean } = {},
): Promise<void> {
  const pid = partitionId(key);
  const pg = `${pid}#${generation}`;
  await partitions.register([key], undefined);
  const docs: TransactionDoc[] = rows.map((r) => ({
    ...r,
    _id: `${pg}:${r.line}`,
    partitionId: pid,
    generation,
    pg,
    dateAt: new Date(`${r.date}T00:00:00Z`),
  }));
  if (docs.length) await db.collection<TransactionDoc>(Collections.transactions).insertMany(docs);
  const rollups = opts.rollups !== false && rows.length ? rollupsFor(key, generation, rows) : [];
  const summaries = new SalesSummariesWriter(db);
  if (rollups.length) {
    await db.collection<RollupDoc>(Collections.rollups).insertMany(rollups);
    await summaries.insertGeneration(key, generation, rollups);
  }
  await partitions.col.updateOne(
    { _id: pid },
    { $set: { status: 'loaded', generation, claimedGeneration: generation, rowsLoaded: rows.length, updatedAt: new Date(0) } },
  );
  if (rollups.length) await summaries.refreshMonth(key.branch, key.date.slice(0, 7));
}
