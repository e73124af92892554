/** Dayparts for the filter, mirroring DAYPARTS of @posflow/contracts (checked by `satisfies`). */
import type { Daypart } from '@posflow/contracts';

const ALL = {
  GY: true,
  Breakfast: true,
  Lunch: true,
  'PM Snack': true,
  Dinner: true,
  'No Time Record': true,
} as const satisfies Record<Daypart, true>;

export const DAYPARTS = Object.keys(ALL) as Daypart[];
