import { z } from 'zod';

/** Branch codes as the POS sends them: upper-case letters, digits and dashes (e.g. AYALA-FRN). */
export const BranchCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'branch code must be 1-20 upper-case letters, digits or dashes');
export type BranchCode = z.infer<typeof BranchCode>;

/** POS terminal number: 1..9. Accepts "1" as well as 1 (the legacy map keys are strings). */
export const PosNumber = z.coerce.number().int().min(1, 'pos must be 1..9').max(9, 'pos must be 1..9');
export type PosNumber = z.infer<typeof PosNumber>;

const isoDateRe = /^\d{4}-\d{2}-\d{2}$/;
/** A business date (Asia/Manila) as `YYYY-MM-DD`; never converted through a time zone. */
export const IsoDate = z
  .string()
  .regex(isoDateRe, 'date must be YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'date is not a real calendar date');
export type IsoDate = z.infer<typeof IsoDate>;

/** The unit of work everywhere: one terminal's exports for one business day. */
export const PartitionKey = z.object({ branch: BranchCode, pos: PosNumber, date: IsoDate });
export type PartitionKey = z.infer<typeof PartitionKey>;

/** Stable string form, used in ids, logs and GridFS metadata: `BMC_1_2026-02-09`. */
export function partitionId(p: PartitionKey): string {
  return `${p.branch}_${p.pos}_${p.date}`;
}

export function parsePartitionId(id: string): PartitionKey {
  const m = /^(.+)_(\d)_(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (!m) throw new Error(`not a partition id: ${id}`);
  return PartitionKey.parse({ branch: m[1], pos: m[2], date: m[3] });
}

/** Dates from `from` to `to` inclusive, as ISO strings (UTC arithmetic on date-only values). */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
