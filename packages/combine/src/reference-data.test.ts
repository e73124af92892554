import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cleanKey, cleanValue, referenceFromText } from './reference-data.js';
import { loadReference } from './reference.loader.js';
import { NO_FIXTURES, REFERENCE_DIR, noFixturesReason } from './testing/shared-fixtures.js';

describe('reference tables', () => {
  test('keys are trimmed and upper-cased on both sides: BOM, leading spaces, tabs, no-break spaces', () => {
    const ref = referenceFromText({
      productCombined: '\uFEFF 120Z HOT CAPPUCCINO,12OZ HOT CAPPUCCINO\n PRIDE BURGER,PRIDE BURGER\n',
      category: '"HOT CHOCO\t",Beverages\n',
      productClean: 'TB TUNA SALP,TUNA SALAD\n',
    });
    expect(cleanValue(ref.productCombined, '120z hot cappuccino')).toBe('12OZ HOT CAPPUCCINO');
    expect(cleanValue(ref.productCombined, 'PRIDE BURGER')).toBe('PRIDE BURGER');
    expect(cleanValue(ref.category, 'HOT CHOCO')).toBe('Beverages');
    expect(cleanValue(ref.productClean, 'TB TUNA SALP\u00a0')).toBe('TUNA SALAD'); // rd5500 writes a trailing NBSP
  });

  test('inner spaces are part of the key', () => {
    const ref = referenceFromText({ productClean: '12 OZ  HOT WHITE MOCHA,X\n' });
    expect(cleanValue(ref.productClean, '12 OZ  HOT WHITE MOCHA')).toBe('X');
    expect(cleanValue(ref.productClean, '12 OZ HOT WHITE MOCHA')).toBe('12 OZ HOT WHITE MOCHA');
  });

  test('values are trimmed; unmatched values pass through unchanged', () => {
    const ref = referenceFromText({ productCombined: 'HOTCHOCO,"HOT CHOCO\t"\n' });
    expect(cleanValue(ref.productCombined, 'hotchoco')).toBe('HOT CHOCO');
    expect(cleanValue(ref.productCombined, 'Something Else ')).toBe('Something Else ');
  });

  test('first row wins on a repeated key; short rows and empty keys are skipped; quoted keys may hold commas', () => {
    const ref = referenceFromText({
      productClean:
        'COFFEE,BREWED COFFEE\ncoffee,COFFEE\nLONELY\n,EMPTY KEY\n"GOTO W EGG,TB",GOTO W EGG TB\r\n',
    });
    expect([...ref.productClean]).toEqual([
      ['COFFEE', 'BREWED COFFEE'],
      ['GOTO W EGG,TB', 'GOTO W EGG TB'],
    ]);
  });

  test('list files: trimmed lines, blanks and # comments skipped; modifiers matched like table keys', () => {
    const ref = referenceFromText({
      newBranches: 'BPAG\r\n BETA \n\n# comment\n',
      modifiers: 'no ice\nLESS SPICY\n',
    });
    expect([...ref.newBranches]).toEqual(['BPAG', 'BETA']);
    expect(ref.modifiers.has(cleanKey(' No Ice'))).toBe(true);
  });

  test('absent files give empty tables and are listed', () => {
    const ref = referenceFromText({ newBranches: 'BETA\n' });
    expect(ref.productClean.size).toBe(0);
    expect(ref.missingFiles).toContain('conversion.csv');
    expect(ref.missingFiles).toContain('modifiers.txt');
    expect(ref.missingFiles).not.toContain('newBranches.txt');
  });
});

describe('loadReference', () => {
  test('a folder with some files: the rest are empty tables, never a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'combine-ref-'));
    try {
      await writeFile(join(dir, 'newBranches.txt'), 'BETA\n');
      await writeFile(join(dir, 'modifiers.txt'), 'NO ICE\n');
      const ref = await loadReference(dir);
      expect([...ref.newBranches]).toEqual(['BETA']);
      expect(ref.modifiers.has('NO ICE')).toBe(true);
      expect(ref.missingFiles).toEqual([
        'conversion.csv',
        'conversion_combined.csv',
        'conversion_category.csv',
        'conversion_dept.csv',
        'conversion_branch.csv',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a missing folder loads as all-empty', async () => {
    const ref = await loadReference(join(tmpdir(), 'no-such-reference-folder-combine'));
    expect(ref.newBranches.size).toBe(0);
    expect(ref.missingFiles).toHaveLength(7);
  });

  test.skipIf(NO_FIXTURES)(`the real reference folder ${noFixturesReason()}`, async () => {
    const ref = await loadReference(REFERENCE_DIR);
    expect([...ref.newBranches].sort()).toEqual(['BETA', 'BGRAN', 'BPAG', 'BTAB']);
    expect(ref.missingFiles).toEqual(['modifiers.txt']);
    expect(cleanValue(ref.branchName, 'BMC')).toBe('BICOL MEDICAL CENTER');
    expect(cleanValue(ref.productClean, 'bacon mac n cheese')).toBe('BACON MAC N CHEESE'); // key written with a leading space
    expect(cleanValue(ref.productCombined, '120Z HOT CAPPUCCINO')).toBe('12OZ HOT CAPPUCCINO'); // first line, after the BOM
    expect(cleanValue(ref.productClean, 'COFFEE')).toBe('BREWED COFFEE'); // repeated key: first wins
    expect(cleanValue(ref.productClean, 'EXTE BURGER"')).toBe('EXTREME BURGER'); // `"EXTE BURGER""",...`
    expect(ref.productClean.get('1 MEAL P350')).toBe('NA');
  });
});
