import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  LEGACY_COLUMNS,
  LEGACY_HEADER,
  renderLegacyCsv,
  renderLegacyCsvText,
} from './legacy-csv.renderer.js';
import { NO_FIXTURES, REFERENCE_DIR, noFixturesReason } from './testing/shared-fixtures.js';

describe('legacy CSV rendering', () => {
  test('27 columns', () => expect(LEGACY_COLUMNS).toHaveLength(27));

  test.skipIf(NO_FIXTURES)(
    `the header equals fixtures/reference/aaa_headers.csv ${noFixturesReason()}`,
    () => {
      expect(LEGACY_HEADER).toBe(
        readFileSync(join(REFERENCE_DIR, 'aaa_headers.csv'), 'utf8').replace(/\r?\n$/, ''),
      );
    },
  );

  test('header, then rows or their legacy strings, one or in batches, each ending in \\n', async () => {
    const pieces: string[] = [];
    for await (const p of renderLegacyCsv(
      (async function* () {
        yield { legacy: 'a' };
        yield ['b', { legacy: 'c' }];
        yield 'd';
      })(),
    ))
      pieces.push(p);
    expect(pieces.join('')).toBe(`${LEGACY_HEADER}\na\nb\nc\nd\n`);
    expect(renderLegacyCsvText([])).toBe(`${LEGACY_HEADER}\n`);
    expect(renderLegacyCsvText(['x', { legacy: 'y' }])).toBe(`${LEGACY_HEADER}\nx\ny\n`);
  });
});
