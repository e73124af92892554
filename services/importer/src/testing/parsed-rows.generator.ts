import { DAYPARTS, type Daypart, type ParsedRow, type PartitionKey } from '@posflow/contracts';

/** mulberry32: small seeded PRNG, so a failing property run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** Share of modifier lines (NO ICE, WITH CUTLERY…); default 0.1. */
  modifiers?: number;
  /** Share of rows with empty payment / null amount / null hour; default 0.1 each. */
  gaps?: number;
  /** Added to every amount: a "changed" artifact for the same partition. */
  amountShiftE4?: number;
}

const PRODUCTS = ['CRISPY 1PC', 'SPAG PBREAD', 'BT MAC', 'GOTO', 'HALO HALO', 'PALABOK', 'CHOCO SHAKE'];
const MODIFIERS = ['NO ICE', 'WITH CUTLERY', 'LESS SPICY'];
const DEPTS = ['CHICKEN MEALS', 'PASTA DISHES', 'BREAKFAST', 'DESSERTS', 'FOOD PANDA'];
const PAYMENTS = ['CASH', 'GCASH', 'GLOBAL PAY', 'FOODPANDA'];
const DISCOUNTS = ['SENIOR', 'PWD'];

function daypartOf(hour: number | null): Daypart {
  if (hour === null) return 'No Time Record';
  if (hour <= 5 || hour >= 23) return 'GY';
  if (hour <= 10) return 'Breakfast';
  if (hour <= 14) return 'Lunch';
  if (hour <= 18) return 'PM Snack';
  return 'Dinner';
}

/**
 * Seeded, valid ParsedRows of one partition in legacy output order (source
 * line descending), with modifiers, empty payments, null amounts and missing
 * times mixed in. `legacy` is a plausible 27-column line unique per row.
 */
export function* generateRows(key: PartitionKey, opts: GenerateOptions): Generator<ParsedRow> {
  const rnd = prng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const gaps = opts.gaps ?? 0.1;
  const d = new Date(`${key.date}T00:00:00Z`);
  let receipt = 250_000 + Math.floor(rnd() * 1000);
  for (let i = 0; i < opts.rows; i++) {
    const line = opts.rows - i + 1; // header is line 1; output is last line first
    if (rnd() < 0.3) receipt++;
    const modifier = rnd() < (opts.modifiers ?? 0.1);
    const hour = rnd() < gaps ? null : Math.floor(rnd() * 25);
    const time =
      hour === null
        ? ''
        : `${String(hour).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}`;
    const quantity = rnd() < gaps / 2 ? null : Math.floor(rnd() * 4) + (rnd() < 0.1 ? 0.5 : 1);
    const amountE4 = rnd() < gaps ? null : Math.floor(rnd() * 5_000_000) + (opts.amountShiftE4 ?? 0);
    const discounted = rnd() < 0.1;
    const product = modifier ? pick(MODIFIERS) : pick(PRODUCTS);
    const dept = pick(DEPTS);
    const payment = rnd() < gaps ? '' : pick(PAYMENTS);
    const receiptNo = `00${receipt}`;
    const legacy = [
      key.pos,
      `"=""${receiptNo}"""`,
      `IT${i}`,
      quantity ?? '',
      amountE4 ?? '',
      time,
      product,
      dept,
      payment,
      key.branch,
    ].join(',');
    yield {
      line,
      legacy,
      branch: key.branch,
      branchName: key.branch,
      pos: key.pos,
      date: key.date,
      time,
      hour,
      daypart: hour === null ? DAYPARTS[5] : daypartOf(hour),
      weekday: d.getUTCDay(),
      month: d.getUTCMonth() + 1,
      year: d.getUTCFullYear(),
      receiptNo,
      transNo: String(receipt - 2_000),
      itemCode: `IT${i % 50}`,
      productName: product,
      productClean: product,
      productCombined: product,
      category: modifier ? 'MODIFIER' : dept,
      departmentCode: String(DEPTS.indexOf(dept) + 1).padStart(2, '0'),
      departmentName: dept,
      departmentClean: dept,
      quantity,
      unitPriceE4: amountE4,
      amountE4,
      discountE4: discounted ? Math.floor(rnd() * 200_000) : rnd() < gaps ? null : 0,
      vatFlag: '1',
      vatDiv: '9.333',
      vatAmountE4: null,
      vatDiscountE4: 0,
      vatPriceE4: amountE4,
      discountCode: discounted ? 'D1' : '',
      discountName: discounted ? pick(DISCOUNTS) : '',
      typeCode: 'T',
      transactionType: 'Take-Out',
      paymentCode: payment ? String(PAYMENTS.indexOf(payment) + 1) : '',
      paymentName: payment,
      phone: '',
      isModifier: modifier,
    };
  }
}
