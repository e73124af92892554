import { DEPARTMENTS, DISCOUNTS, PAYMENT_METHODS, type Discount, type PaymentMethod, type Product } from './catalogue.data.js';
import type { BranchProfile } from './branch-profile.js';
import type { Rng } from './prng.js';

/** One business day of one terminal, before it is written in any file format. */
export interface Order {
  /** Sequence within the day, 0-based; invoice and TRANSNO derive from it. */
  readonly seq: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly type: 'D' | 'T' | 'C';
  readonly cashier: string;
  readonly discount: Discount | undefined;
  /** Senior/PWD card holder shown in SRNO/SRNAME. */
  readonly customer: { readonly id: string; readonly card: string } | undefined;
  readonly lines: readonly OrderLine[];
  readonly tenders: readonly Tender[];
}

export interface OrderLine {
  readonly product: Product;
  readonly qty: number;
}

export interface Tender {
  readonly method: PaymentMethod;
  readonly amount: number;
  readonly change: number;
  readonly ref: string;
}

export interface DaySalesOptions {
  /** Multiplies the branch's orders per day (tests use 0.05..0.2). */
  readonly orderScale: number;
  /** Sell modifier lines (NO ICE, LESS SPICY...). */
  readonly modifiers: boolean;
  readonly weekday: number;
}

// Share of orders per hour of day: lunch and dinner peaks, a breakfast bump, a thin graveyard.
const HOUR_WEIGHT = [0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.6, 0.9, 1.0, 0.9, 1.0, 1.8, 2.6, 2.0, 1.2, 1.0, 1.1, 1.4, 1.9, 2.2, 1.6, 1.0, 0.6, 0.4];
const LINE_COUNT_WEIGHT = [0, 25, 30, 22, 12, 6, 3, 1.5, 0.5];

export function generateDaySales(profile: BranchProfile, rng: Rng, opts: DaySalesOptions): Order[] {
  const weekend = opts.weekday === 0 || opts.weekday === 5 || opts.weekday === 6;
  const expected = profile.ordersPerDay * (weekend ? 1.25 : 1) * (0.85 + rng.next() * 0.3) * opts.orderScale;
  const count = Math.max(1, Math.round(expected));
  const hours: number[] = [];
  for (let h = profile.openHour; h <= profile.closeHour; h++) hours.push(h);
  const hourWeights = hours.map((h) => HOUR_WEIGHT[h] ?? 0.1);

  const cashiers = [String(rng.int(1000, 29999)), String(rng.int(1000, 29999))];
  const stamps = Array.from({ length: count }, () => {
    const hour = hours[rng.weightedIndex(hourWeights)] ?? profile.openHour;
    return { hour, minute: rng.int(0, 59), second: rng.int(0, 59) };
  }).sort((a, b) => a.hour - b.hour || a.minute - b.minute || a.second - b.second);

  return stamps.map((t, seq) => {
    const type = rng.weightedIndex([46, 44, 10]);
    const orderType = (['D', 'T', 'C'] as const)[type] ?? 'D';
    const lines = pickLines(profile, rng, t.hour, orderType, opts.modifiers);
    const discount = orderType !== 'C' && rng.chance(0.09) ? DISCOUNTS[rng.weightedIndex(DISCOUNTS.map((d) => d.weight))] : undefined;
    const customer = discount?.vatExempt === true
      ? { id: `CUSTOMER ${rng.int(0, 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`, card: `${rng.int(1000, 9999)} ${rng.int(1000, 9999)} ${rng.int(1000, 9999)}` }
      : undefined;
    const due = amountDue(lines, discount);
    return {
      seq,
      ...t,
      type: orderType,
      cashier: cashiers[t.hour < 15 ? 0 : 1] ?? '1000',
      discount,
      customer,
      lines,
      tenders: pickTenders(rng, due, orderType),
    };
  });
}

function pickLines(profile: BranchProfile, rng: Rng, hour: number, type: Order['type'], modifiers: boolean): OrderLine[] {
  const n = rng.weightedIndex(LINE_COUNT_WEIGHT);
  const { sellable, byDept } = menuIndex(profile);
  const weights = DEPARTMENTS.map((d) => {
    if (d.code === '03') return hour >= 6 && hour <= 10 ? 30 : 1;
    if (d.code === '4') return type === 'C' ? 40 : 0;
    return d.weight;
  });
  const lines: OrderLine[] = [];
  for (let i = 0; i < n; i++) {
    const dept = DEPARTMENTS[rng.weightedIndex(weights)];
    const pool = byDept.get(dept?.code ?? '') ?? [];
    const product = pool.length > 0 ? rng.pick(pool) : rng.pick(sellable);
    const qty = rng.weightedIndex([0, 84, 11, 3, 1, 0.5, 0.5]);
    const existing = lines.findIndex((l) => l.product.code === product.code);
    if (existing >= 0) lines[existing] = { product, qty: (lines[existing]?.qty ?? 0) + qty };
    else lines.push({ product, qty });
  }
  // Take-outs get utensils as a free line, like the real REP1.
  const freebies = profile.menu.filter((p) => p.freebie === true && p.price === 0);
  if (type !== 'D' && freebies.length > 0 && rng.chance(0.5)) lines.unshift({ product: freebies[0] ?? rng.pick(freebies), qty: rng.int(1, 3) });
  const mods = profile.menu.filter((p) => p.modifier === true);
  if (modifiers && mods.length > 0 && rng.chance(0.3)) lines.push({ product: rng.pick(mods), qty: 1 });
  return lines;
}

const menuIndexes = new WeakMap<BranchProfile, { sellable: Product[]; byDept: Map<string, Product[]> }>();

/** Sellable products grouped by department, computed once per profile (hot path of large files). */
function menuIndex(profile: BranchProfile): { sellable: Product[]; byDept: Map<string, Product[]> } {
  let idx = menuIndexes.get(profile);
  if (!idx) {
    const sellable = profile.menu.filter((p) => p.freebie !== true && p.modifier !== true);
    const byDept = new Map<string, Product[]>();
    for (const p of sellable) byDept.set(p.dept, [...(byDept.get(p.dept) ?? []), p]);
    idx = { sellable, byDept };
    menuIndexes.set(profile, idx);
  }
  return idx;
}

/** What the customer pays, in pesos, as the POS computes it. */
export function amountDue(lines: readonly OrderLine[], discount: Discount | undefined): number {
  let gross = 0;
  for (const l of lines) gross += l.product.price * l.qty;
  if (discount === undefined) return round2(gross);
  const base = discount.vatExempt ? gross / 1.12 : gross;
  const off = discount.type === 'SUBTOTAL PERCENT' ? (base * discount.value) / 100 : Math.min(base, discount.value);
  return round2(base - off);
}

function pickTenders(rng: Rng, due: number, type: Order['type']): Tender[] {
  const delivery = PAYMENT_METHODS.filter((m) => m.delivery === true);
  const cash = PAYMENT_METHODS[0] as PaymentMethod;
  if (type === 'C') return [{ method: rng.pick(delivery), amount: due, change: 0, ref: `fp${rng.int(1000, 9999)}` }];
  const method = PAYMENT_METHODS[rng.weightedIndex(PAYMENT_METHODS.map((m) => m.weight))] ?? cash;
  if (rng.chance(0.03) && due > 100) {
    // Split tender: part cash, the rest by card; the combiner keeps the first.
    const part = Math.floor(due / 2);
    return [
      { method: cash, amount: part, change: 0, ref: '' },
      { method: rng.pick(PAYMENT_METHODS.filter((m) => m.method === 1 || m.code === '11')), amount: round2(due - part), change: 0, ref: String(rng.int(100000, 999999)) },
    ];
  }
  if (method.code === cash.code) {
    const step = due > 500 ? 500 : due > 100 ? 100 : 50;
    const tendered = rng.chance(0.3) ? due : Math.ceil(due / step) * step;
    return [{ method, amount: tendered, change: round2(tendered - due), ref: '' }];
  }
  return [{ method, amount: due, change: 0, ref: String(rng.int(100000, 999999999)) }];
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
