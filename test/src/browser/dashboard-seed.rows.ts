import { type Daypart, type RollupDimension, type RollupDoc, type TransactionDoc } from '@posflow/contracts';
import type { Rng } from '@posflow/synth';

/** Rows and their rollups for the dashboard's seeded world (see dashboard-seed.ts). */
const PRODUCTS = [
  { name: 'CHICKEN BBQ MEAL', dept: 'MEALS', category: 'Chicken', price: 1890000 },
  { name: 'PORK SISIG', dept: 'MEALS', category: 'Pork', price: 1650000 },
  { name: 'SPAGHETTI', dept: 'PASTA', category: 'Pasta', price: 1200000 },
  { name: 'ICED TEA', dept: 'BEVERAGES', category: 'Drinks', price: 650000 },
  { name: 'HALO-HALO', dept: 'DESSERTS', category: 'Dessert', price: 950000 },
  { name: 'BEEF TAPA', dept: 'MEALS', category: 'Beef', price: 1750000 },
  { name: 'COFFEE', dept: 'BEVERAGES', category: 'Drinks', price: 550000 },
] as const;
const PAYMENTS = ['CASH', 'GCASH', 'CARD'] as const;
const HOURS = [7, 8, 11, 12, 13, 15, 18, 19, 20];

function daypartOf(hour: number): Daypart {
  if (hour >= 6 && hour <= 10) return 'Breakfast';
  if (hour >= 11 && hour <= 14) return 'Lunch';
  if (hour >= 15 && hour <= 17) return 'PM Snack';
  if (hour >= 18 && hour <= 22) return 'Dinner';
  return 'GY';
}

export type Row = Omit<TransactionDoc, '_id' | 'pg' | 'generation' | 'partitionId' | 'dateAt'>;

/** The lines of one loaded partition: receipts of 1–3 items, now and then a modifier line. */
export function partitionRows(branch: string, pos: number, date: string, rng: Rng, lines: number): Row[] {
  const d = new Date(`${date}T00:00:00Z`);
  const rows: Row[] = [];
  let receipt = 1000 + pos * 100;
  while (rows.length < lines) {
    receipt++;
    const hour = rng.pick(HOURS);
    const time = `${String(hour).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
    const payment = rng.pick(PAYMENTS);
    const items = rng.int(1, 3);
    for (let i = 0; i < items && rows.length < lines; i++) {
      const p = rng.pick(PRODUCTS);
      const qty = rng.int(1, 3);
      const modifier = i > 0 && rng.chance(0.1);
      const amount = modifier ? 0 : p.price * qty;
      const line = rows.length + 2;
      rows.push({
        line,
        legacy: [
          pos,
          receipt,
          `IC${p.name.length}`,
          qty,
          p.price / 1e4,
          amount / 1e4,
          0,
          p.dept.slice(0, 3),
          date,
          time,
          '',
          '',
          'V',
          '',
          '',
          '',
          '',
          `T${receipt}`,
          modifier ? 'NO ICE' : p.name,
          p.dept,
          '',
          'Dine-In',
          daypartOf(hour),
          payment.slice(0, 2),
          payment,
          '',
          branch,
        ].join(','),
        branch,
        branchName: `${branch} Branch`,
        pos,
        date,
        time,
        hour,
        daypart: daypartOf(hour),
        weekday: d.getUTCDay(),
        month: d.getUTCMonth() + 1,
        year: d.getUTCFullYear(),
        receiptNo: String(receipt),
        transNo: `T${receipt}`,
        itemCode: modifier ? 'MOD1' : `IC${p.name.length}`,
        productName: modifier ? 'NO ICE' : p.name,
        productClean: modifier ? 'NO ICE' : p.name,
        productCombined: modifier ? 'NO ICE' : p.name,
        category: modifier ? 'Modifier' : p.category,
        departmentCode: p.dept.slice(0, 3),
        departmentName: p.dept,
        departmentClean: p.dept,
        quantity: qty,
        unitPriceE4: modifier ? 0 : p.price,
        amountE4: amount,
        discountE4: 0,
        vatFlag: 'V',
        vatDiv: '',
        vatAmountE4: null,
        vatDiscountE4: null,
        vatPriceE4: null,
        discountCode: '',
        discountName: '',
        typeCode: '',
        transactionType: 'Dine-In',
        paymentCode: payment.slice(0, 2),
        paymentName: payment,
        phone: '',
        isModifier: modifier,
      });
    }
  }
  return rows;
}

const DIM_KEY: Record<RollupDimension, (r: Row) => string> = {
  day: (r) => r.date,
  hour: (r) => (r.hour === null ? '' : String(r.hour)),
  daypart: (r) => r.daypart,
  department: (r) => r.departmentClean,
  product: (r) => r.productClean,
  category: (r) => r.category,
  payment: (r) => r.paymentName,
  discount: (r) => r.discountName,
};

/** Rollups of one partition generation, as the importer writes them. */
export function rollupsOf(pid: string, generation: number, rows: readonly Row[]): RollupDoc[] {
  const out: RollupDoc[] = [];
  const first = rows[0];
  if (!first) return out;
  for (const scope of ['all', 'products'] as const) {
    const scoped = scope === 'all' ? rows : rows.filter((r) => !r.isModifier);
    for (const dim of Object.keys(DIM_KEY) as RollupDimension[]) {
      const groups = new Map<
        string,
        { salesE4: number; quantity: number; lines: number; receipts: Set<string> }
      >();
      for (const r of scoped) {
        const key = DIM_KEY[dim](r);
        const g = groups.get(key) ?? { salesE4: 0, quantity: 0, lines: 0, receipts: new Set<string>() };
        g.salesE4 += r.amountE4 ?? 0;
        g.quantity += r.quantity ?? 0;
        g.lines++;
        g.receipts.add(r.receiptNo);
        groups.set(key, g);
      }
      for (const [key, g] of groups)
        out.push({
          _id: `${pid}#${generation}|${dim}|${scope}|${key}`,
          partitionId: pid,
          generation,
          pg: `${pid}#${generation}`,
          branch: first.branch,
          pos: first.pos,
          date: first.date,
          year: first.year,
          month: first.month,
          weekday: first.weekday,
          dim,
          key,
          scope,
          salesE4: g.salesE4,
          discountE4: 0,
          quantity: g.quantity,
          lines: g.lines,
          receipts: g.receipts.size,
        });
    }
  }
  return out;
}
