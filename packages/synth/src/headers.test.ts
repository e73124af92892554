import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FILE_TYPES } from '@posflow/contracts';
import { FIXTURES_DIR, HAVE_FIXTURES } from './fixtures.test-support.js';
import { generateGroup } from './group.generator.js';
import { headerLine, LEGACY_OUTPUT_HEADER } from './headers.js';
import { buildReference } from './reference.writer.js';

describe.skipIf(!HAVE_FIXTURES)('headers and shapes match the real exports (../shared/fixtures)', () => {
  const exportsDir = join(FIXTURES_DIR, 'pos-exports');
  const names = HAVE_FIXTURES ? readdirSync(exportsDir) : [];
  const newBranches = HAVE_FIXTURES ? readFileSync(join(FIXTURES_DIR, 'reference/newBranches.txt'), 'utf8').split(/\r?\n/) : [];
  const firstLine = (name: string): string => readFileSync(join(exportsDir, name), 'utf8').split(/\r?\n/)[0] ?? '';
  const columnsOf = (name: string, line: number): number => (readFileSync(join(exportsDir, name), 'utf8').split('\n')[line] ?? '').split(',').length;

  test.each([...FILE_TYPES])('%s header, classic and new format', (type) => {
    for (const name of names.filter((n) => n.split('_')[3] === type)) {
      const format = newBranches.includes(name.split('_')[1] ?? '') ? 'new' : 'classic';
      expect(headerLine(type, format), name).toBe(firstLine(name));
    }
  });

  test.each(['classic', 'new'] as const)('generated rows have the column counts of the real ones (%s)', (format) => {
    const real = format === 'new' ? 'BETA' : 'BMC';
    const g = generateGroup({ branch: real, pos: 1, date: '2026-02-09', format, scale: { orders: 0.2, loyalty: 0.01 } });
    for (const type of ['rd5000', 'rd1800', 'discount', 'rd5800', 'rd5900'] as const) {
      const realName = names.find((n) => n.startsWith(`a_${real}_1_${type}_2026-02-09`));
      const ours = g.files.find((f) => f.type === type)?.content.toString().split('\n')[1]?.split(',').length;
      expect(ours, `${type} vs ${realName}`).toBe(columnsOf(realName ?? '', 1));
    }
  });

  test('reference header equals aaa_headers.csv', () => {
    const real = readFileSync(join(FIXTURES_DIR, 'reference/aaa_headers.csv'), 'utf8');
    expect(LEGACY_OUTPUT_HEADER).toBe(real);
    expect(buildReference()['aaa_headers.csv']).toBe(real);
  });
});
