import type { TransactionDoc } from '@posflow/contracts';
import { formatE4 } from './money.js';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Row = Pick<
  TransactionDoc,
  | 'date'
  | 'time'
  | 'branch'
  | 'branchName'
  | 'pos'
  | 'receiptNo'
  | 'transNo'
  | 'itemCode'
  | 'productName'
  | 'productClean'
  | 'productCombined'
  | 'category'
  | 'departmentCode'
  | 'departmentName'
  | 'departmentClean'
  | 'quantity'
  | 'unitPriceE4'
  | 'amountE4'
  | 'discountE4'
  | 'vatAmountE4'
  | 'vatDiscountE4'
  | 'vatPriceE4'
  | 'discountCode'
  | 'discountName'
  | 'transactionType'
  | 'paymentCode'
  | 'paymentName'
  | 'daypart'
  | 'hour'
  | 'phone'
  | 'isModifier'
>;

/** Columns of `/export/transactions.csv`: our typed fields, money exact from E4. */
export const TRANSACTION_COLUMNS: ReadonlyArray<[string, (r: Row) => string | number | boolean | null]> = [
  ['date', (r) => r.date],
  ['time', (r) => r.time],
  ['branch', (r) => r.branch],
  ['branch_name', (r) => r.branchName],
  ['pos', (r) => r.pos],
  ['receipt_no', (r) => r.receiptNo],
  ['trans_no', (r) => r.transNo],
  ['item_code', (r) => r.itemCode],
  ['product_name', (r) => r.productName],
  ['product', (r) => r.productClean],
  ['product_combined', (r) => r.productCombined],
  ['category', (r) => r.category],
  ['department_code', (r) => r.departmentCode],
  ['department_name', (r) => r.departmentName],
  ['department', (r) => r.departmentClean],
  ['quantity', (r) => r.quantity],
  ['unit_price', (r) => formatE4(r.unitPriceE4)],
  ['amount', (r) => formatE4(r.amountE4)],
  ['discount', (r) => formatE4(r.discountE4)],
  ['vat_amount', (r) => formatE4(r.vatAmountE4)],
  ['vat_discount', (r) => formatE4(r.vatDiscountE4)],
  ['vat_price', (r) => formatE4(r.vatPriceE4)],
  ['discount_code', (r) => r.discountCode],
  ['discount_name', (r) => r.discountName],
  ['transaction_type', (r) => r.transactionType],
  ['payment_code', (r) => r.paymentCode],
  ['payment_name', (r) => r.paymentName],
  ['daypart', (r) => r.daypart],
  ['hour', (r) => r.hour],
  ['phone', (r) => r.phone],
  ['is_modifier', (r) => r.isModifier],
];

export const TRANSACTION_CSV_HEADER = TRANSACTION_COLUMNS.map(([name]) => name).join(',') + '\n';

export function transactionCsvLine(row: Row): string {
  return TRANSACTION_COLUMNS.map(([, get]) => csvField(get(row))).join(',') + '\n';
}
