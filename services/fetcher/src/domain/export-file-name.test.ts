import { describe, expect, test } from 'vitest';
import { fileNameOf, parseExportFileName } from './export-file-name.js';
import { selectListedFiles } from './listed-files.js';
import { chooseFiles, missingTypes } from './choose-files.js';

describe('export file names', () => {
  test('parses branch, pos, type, date and send time', () => {
    expect(parseExportFileName('a_AYALA-FRN_1_rd5000_2025-10-08_20-00_.csv')).toEqual({
      name: 'a_AYALA-FRN_1_rd5000_2025-10-08_20-00_.csv',
      branch: 'AYALA-FRN',
      pos: 1,
      type: 'rd5000',
      date: '2025-10-08',
      sendTime: '20-00',
    });
  });

  test.each([
    'readme.txt',
    'a_BMC_1_rd5000.csv',
    'a_BMC_1_rd9999_2026-02-09_20-00_.csv',
    'a_BMC_x_rd5000_2026-02-09_20-00_.csv',
    'a_BMC_1_rd5000_2026-02-30_20-00_.csv',
    'a_bmc_1_rd5000_2026-02-09_20-00_.csv',
  ])('rejects %s', (name) => expect(parseExportFileName(name)).toBeNull());

  test('the file name is the last path segment', () => {
    expect(fileNameOf('x/y/a_BMC_1_blpr_2026-02-09_20-00_.csv')).toBe('a_BMC_1_blpr_2026-02-09_20-00_.csv');
    expect(fileNameOf('a.csv')).toBe('a.csv');
  });
});

describe('selectListedFiles', () => {
  const key = { branch: 'BMC', pos: 1, date: '2026-02-09' };
  test('keeps this partition’s files and reports the rest', () => {
    const { files, problems } = selectListedFiles(key, [
      'd/a_BMC_1_rd5000_2026-02-09_20-00_.csv',
      'a_BMC_1_rd5000_2026-02-09_20-00_.csv', // same name twice: once
      'a_BMC_1_rd5000_2026-02-09_21-30_.csv', // a re-send: kept
      'a_BMC_2_rd5000_2026-02-09_20-00_.csv', // another partition
      'notes.txt',
      '',
    ]);
    expect(files.map((f) => [f.path, f.sendTime])).toEqual([
      ['d/a_BMC_1_rd5000_2026-02-09_20-00_.csv', '20-00'],
      ['a_BMC_1_rd5000_2026-02-09_21-30_.csv', '21-30'],
    ]);
    expect(problems.map((p) => [p.kind, p.name])).toEqual([
      ['unrecognised-file', 'a_BMC_2_rd5000_2026-02-09_20-00_.csv'],
      ['unrecognised-file', 'notes.txt'],
    ]);
    expect(problems[0]?.detail).toMatch(/named for BMC_2_2026-02-09/);
  });
});

describe('chooseFiles', () => {
  test('most data rows wins, ties go to the later send time', () => {
    const c = (type: 'rd5000' | 'blpr', dataRows: number, sendTime: string) => ({
      type,
      dataRows,
      sendTime,
      name: `${type}-${sendTime}`,
    });
    const chosen = chooseFiles([
      c('rd5000', 10, '20-00'),
      c('rd5000', 12, '19-00'),
      c('rd5000', 12, '18-00'),
      c('blpr', 0, '20-00'),
      c('blpr', 0, '21-00'),
    ]);
    expect(chosen.get('rd5000')?.sendTime).toBe('19-00');
    expect(chosen.get('blpr')?.sendTime).toBe('21-00');
    expect(missingTypes(chosen)).toEqual(['rd5500', 'rd1800', 'discount', 'rd5800', 'rd5900']);
  });
});
