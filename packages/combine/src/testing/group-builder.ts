// Test-only (excluded from the build): small groups built from text, combined in memory.
import type { FileType, ParsedRow } from '@posflow/contracts';
import { combineGroup, type CombineOptions, type CombineReport, type GroupFile } from '../combine-group.js';
import { referenceFromText, type ReferenceData } from '../reference-data.js';

export const RD5000_COLUMNS = [
  'STORE_NUM',
  'TRANSDATE',
  'INVOICE',
  'CAS_CODE',
  'ITE_CODE',
  'QUANTITY',
  'UNT_PRIC',
  'AMOUNT',
  'DISCOUNT',
  'SCHARGE',
  'DT',
  'DEP_CODE',
  'DATE',
  'TIME',
  'CUS_CODE',
  'TRN_CODE',
  'ORNUM',
  'TAG',
  'DISC_CODE',
  'SRNO',
  'SRNAME',
  'TYPE',
  'BACKJOB',
  'DELIVERY',
  'PHONE',
  'RIDER',
  'FREE',
  'INV_FLAG',
  'REC_NO',
  'LPAY_DISC',
  'GC_EXCESS',
  'VAT_FLAG',
  'VATDIV',
  'BDL_CODE',
  'VAT_AMNT',
  'VAT_DISC',
  'VAT_PRIC',
  'TRANSNO',
  'POS',
  'BRANCH',
] as const;
export type Rd5000Column = (typeof RD5000_COLUMNS)[number];
export const RD5000_HEADER = RD5000_COLUMNS.join(',');

/** A real BMC line (fixtures/pos-exports), the base every test row varies. */
const BASE: Record<Rd5000Column, string> = Object.fromEntries(
  RD5000_COLUMNS.map((c, i) => [
    c,
    '1,2026-02-09 00:00:00,00250455,19122,BRK2,3.000,255.360,766.070,-153.210,0.000,SP,03,2026-02-09 00:00:00,07:25,,S,,S,1,CUSTOMER EBEBAE,1008 2720 8549,D,1,0,,,0,1,2,0,0.000,0,9.333,BRK2,766.070,0.000,255.360,00247627,1,BMC'.split(
      ',',
    )[i] as string,
  ]),
) as Record<Rd5000Column, string>;

export const KEY = { branch: 'BMC', pos: 1, date: '2026-02-09' };

export function rd5000Line(values: Partial<Record<Rd5000Column, string>> = {}): string {
  return RD5000_COLUMNS.map((c) => values[c] ?? BASE[c]).join(',');
}

export function rd5000File(...rows: Partial<Record<Rd5000Column, string>>[]): string {
  return [RD5000_HEADER, ...rows.map(rd5000Line)].join('\n') + '\n';
}

/** Standard lookup files for the base row (header rows included, as real files have them). */
export const LOOKUP_FILES = {
  rd5500:
    'INCODE,ITE_DESC,ECR_DESC,DEP_CODE,UNT_PRIC,UNIT,TAXPRCNT1,TAXAMOUNT1,TAX1DIV,POS,BRANCH\nBRK2,COUNTRY BREAKFAST,CNTRY BRKFST,03,255.360,PC,12.000,0,9.33,1,BMC\n',
  rd1800: 'DEP_CODE,DEP_DESC,POS,BRANCH\n03,BREAKFAST,1,BMC\n',
  discount: 'CODE,DESC,TYPE,VALUE,POS,BRANCH\n1,SNR CTZN 20%,SUBTOTAL PERCENT,20.000,1,BMC\n',
  rd5800:
    'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,AMT_TENDER,CHANGE,NAME,REF_NO,DATE,TIME,TAG,PAYCODE,TRN_CODE,REF_CODE,ORDERSLIP,REC_NO,CUSINFO1,CUSINFO2,CUSINFO3,TIN_TAG,TRANSNO,POS,BRANCH\n1,2026-02-09 00:00:00,00250455,19122,1000.000,175.000,,,2026-02-09 00:00:00,07:25,S,00001,S,,11,1,,,,1,00247627,1,BMC\n',
  rd5900: 'PAY_CODE,PAY_DESC,METHOD,MAX_AMOUNT,POS,BRANCH\n00001,CASH,0,0.000,1,BMC\n',
  blpr: 'STORE,PHONE,TRANSNO,ORNO,POS,BRANCH\n',
} satisfies Partial<Record<FileType, string>>;

/** A file's content: text, bytes, or chunks of either (to test chunk boundaries). */
export type Content = string | Uint8Array | readonly (string | Uint8Array)[];

export interface TextGroup {
  key?: { branch: string; pos: number; date: string };
  files: Partial<Record<FileType, Content>>;
  reference?: ReferenceData;
  options?: Partial<CombineOptions>;
}

export interface Combined {
  rows: ParsedRow[];
  legacy: string[];
  report: CombineReport;
}

/** Combines a group given as text (or byte chunks), all in memory. */
export async function combineText(group: TextGroup): Promise<Combined> {
  const files: Partial<Record<FileType, GroupFile>> = {};
  for (const [type, content] of Object.entries(group.files) as [FileType, Content][]) {
    const chunks: readonly (string | Uint8Array)[] = isChunks(content) ? content : [content];
    files[type] = {
      name: `a_${(group.key ?? KEY).branch}_1_${type}_2026-02-09_20-00_.csv`,
      open: () => chunks,
    };
  }
  const run = combineGroup(
    { key: group.key ?? KEY, files },
    { reference: group.reference ?? referenceFromText({}), ...group.options },
  );
  const rows: ParsedRow[] = [];
  for await (const row of run.rows()) rows.push(row);
  const legacy = rows.map((r) => r.legacy);
  await expectSameLegacyBytes(group, files, legacy, run.report);
  return { rows, legacy, report: run.report };
}

/**
 * Every group a test combines is combined a second time through
 * `legacyBytes()` (what `pnpm combine` writes), which must give the rows'
 * legacy lines byte for byte and the same report: the byte path is held to
 * the string path by every test that uses `combineText`.
 */
async function expectSameLegacyBytes(
  group: TextGroup,
  files: Partial<Record<FileType, GroupFile>>,
  legacy: string[],
  report: CombineReport,
): Promise<void> {
  const run = combineGroup(
    { key: group.key ?? KEY, files },
    { reference: group.reference ?? referenceFromText({}), ...group.options, onDrop: undefined },
  );
  const pieces: Buffer[] = [];
  for await (const piece of run.legacyBytes()) pieces.push(Buffer.from(piece));
  const got = Buffer.concat(pieces);
  const expected = Buffer.from(legacy.map((l) => `${l}\n`).join(''), 'utf8');
  if (!got.equals(expected)) {
    throw new Error(
      `legacyBytes() differs from the rows' legacy lines:\n${got.toString('utf8')}\n---\n${expected.toString('utf8')}`,
    );
  }
  const { dropped, droppedCount, dataLines, rows, spilledBytes, complete } = run.report;
  const same = JSON.stringify({ dropped, droppedCount, dataLines, rows, spilledBytes, complete });
  const want = JSON.stringify({
    dropped: report.dropped,
    droppedCount: report.droppedCount,
    dataLines: report.dataLines,
    rows: report.rows,
    spilledBytes: report.spilledBytes,
    complete: report.complete,
  });
  if (same !== want) throw new Error(`legacyBytes() report differs:\n${same}\n---\n${want}`);
}

/** The base lookups plus an rd5000 of the given rows. */
export function withLookups(
  rd5000: Content,
  overrides: Partial<Record<FileType, string>> = {},
): TextGroup['files'] {
  return { ...LOOKUP_FILES, rd5000, ...overrides };
}

function isChunks(content: Content): content is readonly (string | Uint8Array)[] {
  return Array.isArray(content);
}
