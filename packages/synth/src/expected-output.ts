import type { FileType } from '@posflow/contracts';
import { dataRowCount, fileLines, splitCsvLine } from './csv-line.js';

export interface FileLike {
  readonly name: string;
  readonly type: FileType;
  readonly content: Buffer | string;
}

export interface ExpectedOutput {
  /** The rd5000 the combiner should pick (most data rows, ties to the later HH-MM). */
  readonly rd5000File: string | undefined;
  readonly rd5000Rows: number;
  readonly outputRows: number;
  readonly dropped: { readonly otherDate: number; readonly badHour: number; readonly noDepartment: number };
}

/**
 * Output rows the legacy rules (spec/legacy-combine.md) give for a group:
 * rows of another date, hours that are not two digits ≤ 24 and, for
 * new-format branches, products without a department code are dropped.
 * Independent of how the files were generated, so it also checks them.
 */
export function expectedOutput(files: readonly FileLike[], opts: { date: string; newFormat: boolean }): ExpectedOutput {
  const rd5000 = pickFile(files, 'rd5000');
  const dropped = { otherDate: 0, badHour: 0, noDepartment: 0 };
  if (!rd5000) return { rd5000File: undefined, rd5000Rows: 0, outputRows: 0, dropped };
  const productDept = new Map<string, string | undefined>();
  const rd5500 = pickFile(files, 'rd5500');
  if (opts.newFormat && rd5500) {
    for (const line of fileLines(text(rd5500))) {
      const f = splitCsvLine(line);
      const code = f[0] ?? '';
      if (productDept.has(code)) continue;
      productDept.set(code, f.length > 12 ? f[12] : f.length > 3 ? f[3] : undefined);
    }
  }
  const lines = fileLines(text(rd5000)).slice(1);
  let out = 0;
  for (const line of lines) {
    const f = splitCsvLine(line);
    if ((f[12] ?? '').split(' ')[0] !== opts.date) {
      dropped.otherDate++;
      continue;
    }
    const time = f[13] ?? '';
    if (time !== '' && !/^\d\d$/.test(time.slice(0, 2))) {
      dropped.badHour++;
      continue;
    }
    if (time !== '' && Number(time.slice(0, 2)) > 24) {
      dropped.badHour++;
      continue;
    }
    const code = f[4] ?? '';
    if (opts.newFormat && productDept.has(code) && productDept.get(code) === undefined) {
      dropped.noDepartment++;
      continue;
    }
    out++;
  }
  return { rd5000File: rd5000.name, rd5000Rows: dataRowCount(text(rd5000)), outputRows: out, dropped };
}

/** The combiner's rule for duplicates: most data rows, ties to the later send time (name order). */
export function pickFile<F extends FileLike>(files: readonly F[], type: FileType): F | undefined {
  let best: { file: F; rows: number } | undefined;
  for (const file of files) {
    if (file.type !== type) continue;
    const rows = dataRowCount(text(file));
    if (!best || rows > best.rows || (rows === best.rows && sendTime(file.name) > sendTime(best.file.name))) best = { file, rows };
  }
  return best?.file;
}

function sendTime(name: string): string {
  return name.replace(/\.csv$/i, '').split('_')[5] ?? '';
}

function text(f: FileLike): string {
  return typeof f.content === 'string' ? f.content : f.content.toString('utf8');
}
