import { z } from 'zod';
import { IsoDate, BranchCode } from './partition.js';

export const DAYPARTS = ['GY', 'Breakfast', 'Lunch', 'PM Snack', 'Dinner', 'No Time Record'] as const;
export const Daypart = z.enum(DAYPARTS);
export type Daypart = z.infer<typeof Daypart>;

export const TRANSACTION_TYPES = ['Dine-In', 'Take-Out', 'Delivery', ''] as const;

/**
 * Exact money: integer ten-thousandths of a peso (the new-format files carry
 * up to 4 decimals). Parsed from the decimal string, never through a float;
 * `null` when the field is empty or not a number.
 */
export const MoneyE4 = z.number().int().nullable();

/**
 * One combined row: the combiner's output and the parsed artifact's line
 * format (gzip NDJSON), read by the importer. `legacy` is the exact legacy CSV
 * line (no newline): the legacy export re-emits it byte for byte.
 */
export const ParsedRow = z.object({
  /** 1-based line number of the source row in rd5000 (the header is line 1). */
  line: z.number().int().min(1),
  legacy: z.string(),
  branch: BranchCode,
  /** Branch name from conversion_branch.csv, else the code. */
  branchName: z.string(),
  pos: z.number().int(),
  date: IsoDate,
  /** `HH:MM` as sent, '' when missing. */
  time: z.string(),
  hour: z.number().int().min(0).max(24).nullable(),
  daypart: Daypart,
  /** 0 = Sunday .. 6 = Saturday, of the business date. */
  weekday: z.number().int().min(0).max(6),
  month: z.number().int().min(1).max(12),
  year: z.number().int(),
  receiptNo: z.string(),
  transNo: z.string(),
  itemCode: z.string(),
  productName: z.string(),
  productClean: z.string(),
  productCombined: z.string(),
  category: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  departmentClean: z.string(),
  quantity: z.number().nullable(),
  unitPriceE4: MoneyE4,
  amountE4: MoneyE4,
  discountE4: MoneyE4,
  vatFlag: z.string(),
  vatDiv: z.string(),
  vatAmountE4: MoneyE4,
  vatDiscountE4: MoneyE4,
  vatPriceE4: MoneyE4,
  discountCode: z.string(),
  discountName: z.string(),
  typeCode: z.string(),
  transactionType: z.string(),
  paymentCode: z.string(),
  paymentName: z.string(),
  phone: z.string(),
  /** Cooking instruction / modifier line (e.g. NO ICE): reports can exclude it. */
  isModifier: z.boolean(),
});
export type ParsedRow = z.infer<typeof ParsedRow>;

export const DropReason = z.enum([
  'date-mismatch',
  'bad-hour',
  'no-department-code',
  'short-row',
  'unparsable-row',
  'missing-rd5000',
  'unrecognised-file-name',
]);
export type DropReason = z.infer<typeof DropReason>;

/** A row (or file) the combiner did not turn into output, kept with its reason. */
export const DroppedRow = z.object({
  reason: DropReason,
  file: z.string(),
  /** 1-based line in `file`; 0 when the entry is about the whole file. */
  line: z.number().int().min(0),
  raw: z.string(),
  detail: z.string().optional(),
});
export type DroppedRow = z.infer<typeof DroppedRow>;
