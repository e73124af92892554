import { FileType } from './files.js';
import { PartitionKey } from './partition.js';

/**
 * What a POS export is, from its name and its header line: shared by the
 * fetcher (downloads) and the gateway (operator uploads), so both accept
 * exactly the same files.
 */
export interface ExportFileName {
  name: string;
  branch: string;
  pos: number;
  type: FileType;
  date: string;
  /** `HH-MM` send time, '' when the name has none. */
  sendTime: string;
}

/**
 * `<prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv` (spec/legacy-combine.md
 * "File names and grouping"). Returns null for names that do not follow it.
 */
export function parseExportFileName(name: string): ExportFileName | null {
  const parts = name.replace(/\.csv$/i, '').split('_');
  if (parts.length < 5) return null;
  const type = FileType.safeParse(parts[3]);
  const key = PartitionKey.safeParse({ branch: parts[1], pos: parts[2], date: parts[4] });
  if (!type.success || !key.success || !/^\d$/.test(parts[2] ?? '')) return null;
  const sendTime = /^\d{2}-\d{2}$/.test(parts[5] ?? '') ? (parts[5] as string) : '';
  return { name, ...key.data, type: type.data, sendTime };
}

/**
 * The first columns of each export's header line, read off the real files in
 * fixtures/pos-exports (new-format branches append columns, so these are
 * prefixes). rd5000 and rd5800 share their first four columns: the fifth
 * tells them apart.
 */
export const EXPECTED_HEADER_PREFIX: Readonly<Record<FileType, string>> = Object.freeze({
  rd5000: 'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,ITE_CODE,',
  rd5500: 'INCODE,ITE_DESC,ECR_DESC,DEP_CODE,',
  rd1800: 'DEP_CODE,DEP_DESC,',
  discount: 'CODE,DESC,TYPE,VALUE,',
  rd5800: 'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,AMT_TENDER,',
  rd5900: 'PAY_CODE,PAY_DESC,',
  blpr: 'STORE,PHONE,TRANSNO,ORNO,',
});

/** Null when `firstLine` is the header of a `type` export, else what is wrong. A UTF-8 BOM is tolerated. */
export function exportHeaderProblem(type: FileType, firstLine: string): string | null {
  const line = firstLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  const expected = EXPECTED_HEADER_PREFIX[type];
  return line.startsWith(expected) ? null : `expected ${type} header "${expected}…", got "${line.slice(0, 80)}"`;
}
