import type { Daypart, DropReason, ParsedRow } from '@posflow/contracts';
import type { RowFields } from './csv-line.parser.js';
import { parseDecimal, parseMoneyE4 } from './decimal.parser.js';
import type { GroupLookups, ProductEntry } from './group-lookups.builder.js';
import {
  excelField,
  excelFieldOfPlain,
  excelFormula,
  plainField,
  quotedField,
  unwrapWrittenCode,
} from './legacy-field.renderer.js';
import { MODIFIER_CLEAN_NAME, cleanKey, cleanValue, type ReferenceData } from './reference-data.js';

/** rd5000 columns the output takes (0-based), spec/legacy-combine.md "One output row per rd5000 data row". */
export const C = {
  INVOICE: 2,
  ITE_CODE: 4,
  QUANTITY: 5,
  UNT_PRIC: 6,
  AMOUNT: 7,
  DISCOUNT: 8,
  DEP_CODE: 11,
  DATE: 12,
  TIME: 13,
  DISC_CODE: 18,
  TYPE: 21,
  VAT_FLAG: 31,
  VATDIV: 32,
  VAT_AMNT: 34,
  VAT_DISC: 35,
  VAT_PRIC: 36,
  TRANSNO: 37,
} as const;

/** A row too short to carry a DATE (a blank line included) can never match the group's date. */
const MIN_FIELDS = C.DATE + 1;

/** The columns the forward pass needs (`rowProblem` up to TIME, then TRANSNO): it parses only these. */
export const FORWARD_FIELDS = C.TRANSNO + 1;

/** The key a row looks its phone up with (blpr is keyed by ORNO, looked up with TRANSNO: legacy quirk). */
export function loyaltyKeyOf(fields: RowFields): string {
  return field(fields, C.TRANSNO);
}

/** A Map, not an object literal: a TYPE such as `constructor` must not find Object.prototype's. */
const TRANSACTION_TYPES: ReadonlyMap<string, string> = new Map([
  ['D', 'Dine-In'],
  ['T', 'Take-Out'],
  ['C', 'Delivery'],
]);

/** TRANSACTION TYPE of a TYPE column as written: `D` → Dine-In, `T` → Take-Out, `C` → Delivery, else ''. */
export function transactionTypeOf(typeCode: string): string {
  return TRANSACTION_TYPES.get(typeCode) ?? '';
}

/** Everything about the group a row needs, computed once per group. */
export interface RowContext {
  branch: string;
  pos: number;
  date: string;
  newFormat: boolean;
  lookups: GroupLookups;
  reference: ReferenceData;
  branchName: string;
  weekday: number;
  month: number;
  year: number;
  /** Per product name: its clean-up table values (a day repeats a few hundred products thousands of times). */
  productInfo: Map<string, ProductInfo>;
  /** Per department name: its clean name. */
  departmentClean: Map<string, string>;
  /** Per written DEP_CODE column: the department's name ('' when unknown). */
  departmentNames: Map<string, string>;
  /** The first and last legacy columns, the same on every row. */
  posText: string;
  branchText: string;
}

interface ProductInfo {
  productClean: string;
  productCombined: string;
  category: string;
  isModifier: boolean;
}

export function rowContext(
  key: { branch: string; pos: number; date: string },
  lookups: GroupLookups,
  reference: ReferenceData,
): RowContext {
  const d = new Date(`${key.date}T00:00:00Z`);
  return {
    ...key,
    newFormat: reference.newBranches.has(key.branch),
    lookups,
    reference,
    branchName: cleanValue(reference.branchName, key.branch),
    weekday: d.getUTCDay(),
    month: d.getUTCMonth() + 1,
    year: d.getUTCFullYear(),
    productInfo: new Map(),
    departmentClean: new Map(),
    departmentNames: new Map(),
    posText: String(key.pos),
    branchText: plainField(key.branch),
  };
}

export interface RowProblem {
  reason: DropReason;
  detail: string;
}

/**
 * Why the legacy script would not have written this row, or null when it
 * would: a DATE other than the group's (checked first, as the legacy did), an
 * hour that is not two digits or above 24, or, for a new-format branch, a
 * product whose rd5500 row has no department code.
 */
export function rowProblem(fields: RowFields, unterminated: boolean, ctx: RowContext): RowProblem | null {
  if (unterminated) return { reason: 'unparsable-row', detail: 'a quoted field has no closing quote' };
  if (fields.length < MIN_FIELDS)
    return { reason: 'short-row', detail: `${fields.length} fields, DATE is column ${C.DATE + 1}` };
  const date = dateOf(fields);
  if (date !== ctx.date)
    return { reason: 'date-mismatch', detail: `DATE ${JSON.stringify(date)}, group ${ctx.date}` };
  const time = excelField(field(fields, C.TIME));
  if (time !== '' && hourOf(time) === null)
    return { reason: 'bad-hour', detail: `TIME ${JSON.stringify(time)}` };
  if (ctx.newFormat) {
    const product = productOf(fields, ctx);
    if (product !== undefined && product.departmentCode === null) {
      return {
        reason: 'no-department-code',
        detail: `product ${JSON.stringify(product.name)} has no department code in rd5500`,
      };
    }
  }
  return null;
}

/** The lookups' answers for one row: what both the legacy line and the parsed row are made of. */
interface Joined {
  itemCode: string;
  time: string;
  discountCode: string;
  typeCode: string;
  product: ProductEntry | undefined;
  newDept: string | null;
  depCode: string;
  hour: number | null;
  departmentName: string;
  discountName: string;
  transactionType: string;
  daypart: Daypart;
  paymentCode: string;
  paymentName: string;
  phone: string;
}

function joinRow(fields: RowFields, ctx: RowContext): Joined {
  const { lookups } = ctx;
  const excel = fields.plain === true ? excelFieldOfPlain : excelField;
  const itemCode = excel(field(fields, C.ITE_CODE));
  const time = excel(field(fields, C.TIME));
  const discountCode = excel(field(fields, C.DISC_CODE));
  const typeCode = excel(field(fields, C.TYPE));
  // Products are looked up by the code as written: a wrapped code never matches (legacy quirk).
  const product = lookups.products.get(itemCode);
  const newDept = ctx.newFormat && product !== undefined ? product.departmentCode : null;
  const depCode = newDept !== null ? quotedField(newDept) : excelFormula(field(fields, C.DEP_CODE));
  const hour = time === '' ? null : hourOf(time);
  const transactionType = transactionTypeOf(typeCode);
  // Payments and loyalty are both keyed by rd5000 TRANSNO; loyalty's key is really the ORNO (legacy quirk).
  const paymentCode = lookups.payments.get(field(fields, C.TRANSNO)) ?? '';
  return {
    itemCode,
    time,
    discountCode,
    typeCode,
    product,
    newDept,
    depCode,
    hour,
    departmentName: departmentNameOf(ctx, depCode),
    discountName: lookups.discounts.get(discountCode) ?? '',
    transactionType,
    daypart: daypartOf(hour, time),
    paymentCode,
    paymentName: lookups.paymentMethods.get(paymentCode) ?? '',
    phone: lookups.loyalty.get(loyaltyKeyOf(fields)) ?? '',
  };
}

function legacyLineOf(fields: RowFields, j: Joined, ctx: RowContext): string {
  const f = (i: number) => field(fields, i);
  // A plain line's columns need no escaping: only the Excel wrap is decided.
  const plain = fields.plain === true;
  const excel = plain ? excelFieldOfPlain : excelField;
  const bare = plain ? (v: string) => v : plainField;
  // One join, not `+`: concatenation would leave a rope of ~50 pieces per row until it is written.
  return [
    ctx.posText,
    excel(f(C.INVOICE)),
    j.itemCode,
    excel(f(C.QUANTITY)),
    excel(f(C.UNT_PRIC)),
    excel(f(C.AMOUNT)),
    excel(f(C.DISCOUNT)),
    j.depCode,
    bare(dateOf(fields)),
    j.time,
    j.discountCode,
    j.typeCode,
    excel(f(C.VAT_FLAG)),
    excel(f(C.VATDIV)),
    excel(f(C.VAT_AMNT)),
    excel(f(C.VAT_DISC)),
    excel(f(C.VAT_PRIC)),
    bare(f(C.TRANSNO)),
    j.product === undefined ? '' : quotedField(j.product.name),
    j.departmentName === '' ? '' : quotedField(j.departmentName),
    j.discountName === '' ? '' : quotedField(j.discountName),
    j.transactionType === '' ? '' : quotedField(j.transactionType),
    j.daypart,
    plainField(j.paymentCode),
    plainField(j.paymentName),
    plainField(j.phone),
    ctx.branchText,
  ].join(',');
}

/** Just the legacy CSV line of an rd5000 line that `rowProblem` accepted (what `pnpm combine` writes). */
export function buildLegacyLine(fields: RowFields, ctx: RowContext): string {
  return legacyLineOf(fields, joinRow(fields, ctx), ctx);
}

/** The output row of an rd5000 line that `rowProblem` accepted. */
export function buildRow(fields: RowFields, line: number, ctx: RowContext): ParsedRow {
  const f = (i: number) => field(fields, i);
  const j = joinRow(fields, ctx);
  const { hour, daypart, departmentName, discountName, transactionType, paymentCode, paymentName, phone } = j;
  const legacy = legacyLineOf(fields, j, ctx);
  const productName = j.product?.name ?? '';
  const info = productInfoOf(ctx, productName);
  return {
    line,
    legacy,
    branch: ctx.branch,
    branchName: ctx.branchName,
    pos: ctx.pos,
    date: ctx.date,
    time: f(C.TIME),
    hour,
    daypart,
    weekday: ctx.weekday,
    month: ctx.month,
    year: ctx.year,
    receiptNo: f(C.INVOICE),
    transNo: f(C.TRANSNO),
    itemCode: f(C.ITE_CODE),
    productName,
    productClean: info.productClean,
    productCombined: info.productCombined,
    category: info.category,
    departmentCode: j.newDept ?? f(C.DEP_CODE),
    departmentName,
    departmentClean: departmentCleanOf(ctx, departmentName),
    quantity: parseDecimal(f(C.QUANTITY)),
    unitPriceE4: parseMoneyE4(f(C.UNT_PRIC)),
    amountE4: parseMoneyE4(f(C.AMOUNT)),
    discountE4: parseMoneyE4(f(C.DISCOUNT)),
    vatFlag: f(C.VAT_FLAG),
    vatDiv: f(C.VATDIV),
    vatAmountE4: parseMoneyE4(f(C.VAT_AMNT)),
    vatDiscountE4: parseMoneyE4(f(C.VAT_DISC)),
    vatPriceE4: parseMoneyE4(f(C.VAT_PRIC)),
    discountCode: f(C.DISC_CODE),
    discountName,
    typeCode: f(C.TYPE),
    transactionType,
    paymentCode,
    paymentName,
    phone,
    isModifier: info.isModifier,
  };
}

/**
 * Clean name (conversion.csv), combined product and category (keyed by the
 * clean name), and whether the product is a modifier: conversion.csv maps it
 * to `NA`, or modifiers.txt lists its raw or clean name.
 */
function productInfoOf(ctx: RowContext, productName: string): ProductInfo {
  let info = ctx.productInfo.get(productName);
  if (info === undefined) {
    const { reference } = ctx;
    const key = cleanKey(productName);
    const productClean = cleanValue(reference.productClean, productName);
    info = {
      productClean,
      productCombined: cleanValue(reference.productCombined, productClean),
      category: cleanValue(reference.category, productClean),
      isModifier:
        key !== '' &&
        (reference.productClean.get(key) === MODIFIER_CLEAN_NAME ||
          reference.modifiers.has(key) ||
          reference.modifiers.has(cleanKey(productClean))),
    };
    ctx.productInfo.set(productName, info);
  }
  return info;
}

/** The department's name looked up with the written DEP_CODE, as the legacy did (a day has a few dozen codes). */
export function departmentNameOf(ctx: RowContext, depCode: string): string {
  let name = ctx.departmentNames.get(depCode);
  if (name === undefined) {
    name = ctx.lookups.departments.get(unwrapWrittenCode(depCode)) ?? '';
    ctx.departmentNames.set(depCode, name);
  }
  return name;
}

function departmentCleanOf(ctx: RowContext, departmentName: string): string {
  let clean = ctx.departmentClean.get(departmentName);
  if (clean === undefined) {
    clean = cleanValue(ctx.reference.departmentClean, departmentName);
    ctx.departmentClean.set(departmentName, clean);
  }
  return clean;
}

/**
 * The hour of a TIME as written: its first two characters must be digits
 * (`7:25` is not) and at most 24. Null when it is not an hour.
 */
export function hourOf(time: string): number | null {
  const a = time.charCodeAt(0) - 0x30;
  const b = time.charCodeAt(1) - 0x30;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return null;
  const hour = a * 10 + b;
  return hour <= 24 ? hour : null;
}

/** 0-5 GY, 6-10 Breakfast, 11-14 Lunch, 15-18 PM Snack, 19-22 Dinner, 23-24 GY; no TIME → No Time Record. */
export function daypartOf(hour: number | null, time: string): Daypart {
  if (time === '' || hour === null) return 'No Time Record';
  if (hour <= 5) return 'GY';
  if (hour <= 10) return 'Breakfast';
  if (hour <= 14) return 'Lunch';
  if (hour <= 18) return 'PM Snack';
  if (hour <= 22) return 'Dinner';
  return 'GY';
}

function field(fields: RowFields, i: number): string {
  return fields.get(i);
}

/** DATE cut at its first space (`2026-02-09 00:00:00` → `2026-02-09`). */
function dateOf(fields: RowFields): string {
  const d = field(fields, C.DATE);
  const space = d.indexOf(' ');
  return space === -1 ? d : d.slice(0, space);
}

function productOf(fields: RowFields, ctx: RowContext): ProductEntry | undefined {
  return ctx.lookups.products.get(excelField(field(fields, C.ITE_CODE)));
}
