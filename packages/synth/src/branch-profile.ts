import { PRODUCTS, type Product } from './catalogue.data.js';
import type { ExportFormat } from './headers.js';
import { createRng, hashSeed } from './prng.js';

/**
 * What stays the same for a branch across days: its menu, hours, size, POS
 * counters. Derived from (seed, branch) only, so any date can be generated
 * on its own and still line up with its neighbours.
 */
export interface BranchProfile {
  readonly branch: string;
  readonly format: ExportFormat;
  /** First and last trading hour (inclusive); 0..23 for 24-hour stores. */
  readonly openHour: number;
  readonly closeHour: number;
  /** Typical orders per POS per weekday before scaling. */
  readonly ordersPerDay: number;
  readonly menu: readonly Product[];
  /** `STORE` column of the loyalty log (the real ones say TEMP, the branch, or an old code). */
  readonly loyaltyStore: string;
  /** Some branches never used the loyalty programme: header-only blpr. */
  readonly loyaltyEmpty: boolean;
  /** Hour at which the manager usually sends the report. */
  readonly sendHour: number;
}

export function branchProfile(seed: number, branch: string, format: ExportFormat, extraProducts: readonly Product[] = []): BranchProfile {
  const rng = createRng(hashSeed(seed, 'branch', branch));
  const allDay = rng.chance(0.1);
  const openHour = allDay ? 0 : rng.int(6, 9);
  const closeHour = allDay ? 23 : rng.int(20, 22);
  const ordersPerDay = format === 'new' ? rng.int(25, 90) : rng.int(90, 360);
  const loyaltyStore = rng.pick(['TEMP', 'TEMP', branch.slice(0, 5), `B-${branch.slice(0, 3)}`]);
  const loyaltyEmpty = format === 'new' || rng.chance(0.15);
  const sendHour = Math.min(23, Math.max(20, closeHour + rng.int(-1, 1)));
  // Each branch drops a few dishes; freebies and modifiers exist everywhere. Drawn
  // last so that extra (edge-case) products do not shift the draws above.
  const menu = [...PRODUCTS, ...extraProducts].filter((p) => p.freebie === true || p.modifier === true || !rng.chance(0.08));
  return {
    branch,
    format,
    openHour,
    closeHour,
    ordersPerDay,
    menu,
    loyaltyStore,
    loyaltyEmpty,
    sendHour,
  };
}
