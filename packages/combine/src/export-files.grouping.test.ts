import { describe, expect, test } from 'vitest';
import { chooseExportFile, groupExportFiles, parseExportFileName } from './export-files.grouping.js';

describe('parseExportFileName', () => {
  test('splits prefix, branch, pos, type, date and send time', () => {
    expect(parseExportFileName('a_AYALA-FRN_1_rd5000_2025-10-08_20-00_.csv')).toEqual({
      name: 'a_AYALA-FRN_1_rd5000_2025-10-08_20-00_.csv',
      prefix: 'a',
      branch: 'AYALA-FRN',
      pos: 1,
      type: 'rd5000',
      date: '2025-10-08',
      sendTime: '20-00',
    });
  });

  test('a directory part is ignored; a name without send time has sendTime ""', () => {
    expect(parseExportFileName('x/y/b_BMC_2_blpr_2026-02-09_.csv')).toMatchObject({
      name: 'b_BMC_2_blpr_2026-02-09_.csv',
      prefix: 'b',
      pos: 2,
      sendTime: '',
    });
  });

  test.each([
    'readme.txt',
    'a_BMC_1_rd5000.csv',
    'a_BMC_1_rd9999_2026-02-09_20-00_.csv',
    'a_BMC_x_rd5000_2026-02-09_20-00_.csv',
    'a_BMC_1_rd5000_2026-02-30_20-00_.csv',
  ])('%s does not follow the pattern', (name) => expect(parseExportFileName(name)).toBeNull());
});

describe('chooseExportFile', () => {
  const c = (name: string, dataRows: number, sendTime: string) => ({ name, dataRows, sendTime });

  test('most data rows wins', () => {
    expect(chooseExportFile([c('early', 12, '19-00'), c('late', 10, '21-00')])?.name).toBe('early');
  });

  test('ties go to the later send time, then to the greater name, whatever the order given', () => {
    const tie = [c('a', 5, '20-00'), c('b', 5, '21-30'), c('c', 5, '18-00')];
    expect(chooseExportFile(tie)?.name).toBe('b');
    expect(chooseExportFile([...tie].reverse())?.name).toBe('b');
    expect(chooseExportFile([c('x', 0, ''), c('y', 0, '')])?.name).toBe('y');
    expect(chooseExportFile([])).toBeUndefined();
  });
});

describe('groupExportFiles', () => {
  test('groups by (branch, pos, date), keeps re-sends, reports names off the pattern', () => {
    const { groups, unrecognised } = groupExportFiles([
      'a_BMC_1_rd5000_2026-02-09_21-30_.csv',
      'a_BMC_1_rd5000_2026-02-09_20-00_.csv',
      'a_BMC_1_blpr_2026-02-09_20-00_.csv',
      'a_BMC_2_rd5000_2026-02-09_20-00_.csv',
      'a_AYALA-FRN_1_rd5000_2025-10-08_20-00_.csv',
      'notes.txt',
      'record2025.csv',
    ]);
    expect(groups.map((g) => g.id)).toEqual([
      'AYALA-FRN_1_2025-10-08',
      'BMC_1_2026-02-09',
      'BMC_2_2026-02-09',
    ]);
    expect(groups[1]?.files.rd5000?.map((f) => f.sendTime)).toEqual(['20-00', '21-30']);
    expect(groups[1]?.files.blpr).toHaveLength(1);
    expect(unrecognised).toEqual(['notes.txt', 'record2025.csv']);
  });
});
