import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FILE_TYPES, type FileType } from '@posflow/contracts';
import { EXPECTED_HEADER_PREFIX, checkExportHead } from './export-headers.js';
import { parseExportFileName } from './export-file-name.js';

const FIXTURES = resolve(import.meta.dirname, '../../../../../shared/fixtures/pos-exports');
const haveFixtures = existsSync(FIXTURES);
if (!haveFixtures)
  console.warn(`export-headers.test: ${FIXTURES} is absent; the real-file header checks are skipped`);

describe('checkExportHead', () => {
  test('accepts each type with its own header, with or without a BOM and CRLF', () => {
    for (const type of FILE_TYPES) {
      const line = `${EXPECTED_HEADER_PREFIX[type]}POS,BRANCH`;
      expect(checkExportHead(type, `${line}\n1,2\n`)).toEqual({ ok: true });
      expect(checkExportHead(type, `\uFEFF${line}\r\n`)).toEqual({ ok: true });
    }
  });

  test('rejects another type’s header (rd5000 and rd5800 share four columns)', () => {
    const rd5800 = `${EXPECTED_HEADER_PREFIX.rd5800}CHANGE,NAME\n`;
    expect(checkExportHead('rd5000', rd5800)).toMatchObject({ ok: false, error: 'invalid-header' });
    expect(checkExportHead('rd5800', rd5800)).toEqual({ ok: true });
  });

  test('rejects HTML pages, the upstream error text and empty bodies', () => {
    expect(checkExportHead('rd5000', '<!DOCTYPE html>\n<html>')).toMatchObject({ ok: false, error: 'html' });
    expect(
      checkExportHead('blpr', 'An error occurred, check your Internet or contact a technician.'),
    ).toMatchObject({ ok: false, error: 'error-text' });
    expect(checkExportHead('rd1800', '')).toMatchObject({ ok: false, error: 'invalid-header' });
  });

  test.skipIf(!haveFixtures)('accepts the header of every real export in fixtures/pos-exports', () => {
    const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.csv'));
    expect(names.length).toBeGreaterThanOrEqual(84);
    const seen = new Set<FileType>();
    for (const name of names) {
      const parsed = parseExportFileName(name);
      expect(parsed, name).not.toBeNull();
      if (!parsed) continue;
      seen.add(parsed.type);
      const head = readFileSync(join(FIXTURES, name)).subarray(0, 4096).toString('utf8');
      expect(checkExportHead(parsed.type, head), name).toEqual({ ok: true });
      // and no other type's rule accepts it
      for (const other of FILE_TYPES.filter((t) => t !== parsed.type))
        expect(checkExportHead(other, head).ok, `${name} as ${other}`).toBe(false);
    }
    expect([...seen].sort()).toEqual([...FILE_TYPES].sort());
  });
});
