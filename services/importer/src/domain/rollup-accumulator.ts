import type { ParsedRow, PartitionKey, RollupDimension, RollupDoc, RollupScope } from '@posflow/contracts';
import { ROLLUP_DIMENSIONS, partitionId } from '@posflow/contracts';
import { pgOf } from './transaction-doc.js';

/** The group key of a row under a dimension ('' groups rows without a value, e.g. no payment). */
export function rollupKey(dim: RollupDimension, r: ParsedRow): string {
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
    case 'discount':
      return r.discountName;
  }
}

interface Sums {
  dim: RollupDimension;
  key: string;
  scope: RollupScope;
  salesE4: number;
  discountE4: number;
  /** Quantity in ten-thousandths, so the sum is exact whatever the row order. */
  quantityE4: number;
  lines: number;
  receipts: Set<string>;
}

/**
 * Sums one partition generation's rows per (dimension, key, scope) while
 * they stream past; memory is one entry per distinct key (plus its receipt
 * numbers), never the rows. Null amounts count as 0; receipts are distinct
 * receipt numbers (`receiptNo`, '' included as one) within the partition.
 */
export class RollupAccumulator {
  private readonly sums = new Map<string, Sums>();

  constructor(
    private readonly partition: PartitionKey,
    private readonly generation: number,
  ) {}

  add(r: ParsedRow): void {
    for (const dim of ROLLUP_DIMENSIONS) {
      const key = rollupKey(dim, r);
      this.addTo(dim, key, 'all', r);
      if (!r.isModifier) this.addTo(dim, key, 'products', r);
    }
  }

  private addTo(dim: RollupDimension, key: string, scope: RollupScope, r: ParsedRow): void {
    const id = `${dim}:${scope}:${key}`;
    let s = this.sums.get(id);
    if (!s) {
      s = { dim, key, scope, salesE4: 0, discountE4: 0, quantityE4: 0, lines: 0, receipts: new Set() };
      this.sums.set(id, s);
    }
    s.salesE4 += r.amountE4 ?? 0;
    s.discountE4 += r.discountE4 ?? 0;
    s.quantityE4 += Math.round((r.quantity ?? 0) * 10_000);
    s.lines += 1;
    s.receipts.add(r.receiptNo);
  }

  /** The rollup documents, ids `<pg>:<dim>:<scope>:<key>`. */
  docs(): RollupDoc[] {
    const pid = partitionId(this.partition);
    const pg = pgOf(pid, this.generation);
    const d = new Date(`${this.partition.date}T00:00:00Z`);
    const common = {
      partitionId: pid,
      generation: this.generation,
      pg,
      branch: this.partition.branch,
      pos: this.partition.pos,
      date: this.partition.date,
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      weekday: d.getUTCDay(),
    };
    return [...this.sums.entries()].map(([id, s]) => ({
      _id: `${pg}:${id}`,
      ...common,
      dim: s.dim,
      key: s.key,
      scope: s.scope,
      salesE4: s.salesE4,
      discountE4: s.discountE4,
      quantity: s.quantityE4 / 10_000,
      lines: s.lines,
      receipts: s.receipts.size,
    }));
  }
}
