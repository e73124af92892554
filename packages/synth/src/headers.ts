import type { FileType } from '@posflow/contracts';

/** Which POS build wrote the files: `classic` (most branches) or `new` (newBranches.txt). */
export type ExportFormat = 'classic' | 'new';

const NEW_TAIL = ['TERM_ID', 'CATEG_ID', 'VERNO', 'FULL'];

const CLASSIC: Record<FileType, readonly string[]> = {
  rd5000: [
    'STORE_NUM', 'TRANSDATE', 'INVOICE', 'CAS_CODE', 'ITE_CODE', 'QUANTITY', 'UNT_PRIC', 'AMOUNT', 'DISCOUNT',
    'SCHARGE', 'DT', 'DEP_CODE', 'DATE', 'TIME', 'CUS_CODE', 'TRN_CODE', 'ORNUM', 'TAG', 'DISC_CODE', 'SRNO',
    'SRNAME', 'TYPE', 'BACKJOB', 'DELIVERY', 'PHONE', 'RIDER', 'FREE', 'INV_FLAG', 'REC_NO', 'LPAY_DISC',
    'GC_EXCESS', 'VAT_FLAG', 'VATDIV', 'BDL_CODE', 'VAT_AMNT', 'VAT_DISC', 'VAT_PRIC', 'TRANSNO', 'POS', 'BRANCH',
  ],
  rd5500: ['INCODE', 'ITE_DESC', 'ECR_DESC', 'DEP_CODE', 'UNT_PRIC', 'UNIT', 'TAXPRCNT1', 'TAXAMOUNT1', 'TAX1DIV', 'POS', 'BRANCH'],
  rd1800: ['DEP_CODE', 'DEP_DESC', 'POS', 'BRANCH'],
  discount: ['CODE', 'DESC', 'TYPE', 'VALUE', 'POS', 'BRANCH'],
  rd5800: [
    'STORE_NUM', 'TRANSDATE', 'INVOICE', 'CAS_CODE', 'AMT_TENDER', 'CHANGE', 'NAME', 'REF_NO', 'DATE', 'TIME', 'TAG',
    'PAYCODE', 'TRN_CODE', 'REF_CODE', 'ORDERSLIP', 'REC_NO', 'CUSINFO1', 'CUSINFO2', 'CUSINFO3', 'TIN_TAG',
    'TRANSNO', 'POS', 'BRANCH',
  ],
  rd5900: ['PAY_CODE', 'PAY_DESC', 'METHOD', 'MAX_AMOUNT', 'POS', 'BRANCH'],
  blpr: ['STORE', 'PHONE', 'TRANSNO', 'ORNO', 'POS', 'BRANCH'],
};

/** The new build appends TERM_ID, CATEG_ID, VERNO, FULL to its master files only. */
const NEW_EXTENDED: ReadonlySet<FileType> = new Set(['rd5500', 'rd1800', 'discount', 'rd5900']);

export function headerColumns(type: FileType, format: ExportFormat): readonly string[] {
  const base = CLASSIC[type];
  return format === 'new' && NEW_EXTENDED.has(type) ? [...base, ...NEW_TAIL] : base;
}

export function headerLine(type: FileType, format: ExportFormat): string {
  return headerColumns(type, format).join(',');
}

/** The 27-column header of the legacy combined CSV (reference/aaa_headers.csv). */
export const LEGACY_OUTPUT_HEADER =
  'POS,OR,ITEM CODE,QUANTITY,UNIT PRICE,AMOUNT,DISCOUNT,DEPARTMENT CODE,DATE,TIME,DISCOUNT CODE,TYPE CODE,' +
  'VAT FLAG,VAT DIV,VAT AMOUNT,VAT DISCOUNT,VAT PRICE,TRANSACTION NUMBER,PRODUCT NAME,DEPARTMENT NAME,' +
  'DISCOUNT NAME,TRANSACTION TYPE,DAYPART,PAYMENT CODE,PAYMENT NAME,PHONE NUMBER,BRANCH';
