import { describe, expect, test } from 'vitest';
import { fileLines, splitCsvLine } from './csv-line.js';
import { pickFile } from './expected-output.js';
import { generateGroup, type GenerateGroupOptions, type GeneratedGroup } from './group.generator.js';

const base = { branch: 'TBCO', pos: 1, date: '2026-02-09', seed: 4, scale: { orders: 0.3, loyalty: 0.01 } } satisfies Partial<GenerateGroupOptions>;
const text = (g: GeneratedGroup, type: string): string => (pickFile(g.files, type as 'rd5000')?.content.toString('utf8') ?? '');
const lines = (g: GeneratedGroup, type: string): string[][] => fileLines(text(g, type)).slice(1).map(splitCsvLine);

describe('edge-case injection', () => {
  test('none by default: one file per type, LF, every row counted', () => {
    const g = generateGroup(base);
    expect(g.injected).toEqual([]);
    expect(g.files).toHaveLength(7);
    expect(g.files.every((f) => !f.content.includes('\r'))).toBe(true);
    expect(g.expectedOutputRows).toBe(g.rd5000Rows);
  });

  test('resend: a second copy with a later HH-MM and a different row count', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const g = generateGroup({ ...base, seed, edgeCases: { resend: 1 } });
      const hit = g.injected.find((i) => i.kind === 'resend');
      expect(hit).toBeDefined();
      for (const type of hit?.kind === 'resend' ? hit.types : []) {
        const copies = g.files.filter((f) => f.type === type).sort((a, b) => a.sendTime.localeCompare(b.sendTime));
        expect(copies).toHaveLength(2);
        expect((copies[1]?.sendTime ?? '') > (copies[0]?.sendTime ?? '')).toBe(true);
        expect(copies[0]?.content.length).not.toBe(copies[1]?.content.length);
      }
      // The combiner takes the copy with more rows: expected output equals that copy's rows.
      expect(g.expectedOutputRows).toBe(g.rd5000Rows);
    }
  });

  test('missing types', () => {
    const g = generateGroup({ ...base, edgeCases: { missingTypes: 1 } });
    const hit = g.injected.find((i) => i.kind === 'missing-types');
    expect(hit?.kind === 'missing-types' && hit.types.length).toBeGreaterThan(0);
    for (const t of hit?.kind === 'missing-types' ? hit.types : []) expect(g.files.some((f) => f.type === t)).toBe(false);
    expect(g.files.length).toBe(7 - (hit?.kind === 'missing-types' ? hit.types.length : 0));
  });

  test('closed day: no files at all', () => {
    const g = generateGroup({ ...base, edgeCases: { closedDays: 1 } });
    expect(g.closed).toBe(true);
    expect(g.files).toEqual([]);
  });

  test('rows from another date are counted as dropped', () => {
    const g = generateGroup({ ...base, edgeCases: { otherDateRows: 1 } });
    const hit = g.injected.find((i) => i.kind === 'other-date-rows');
    const other = lines(g, 'rd5000').filter((r) => r[12]?.startsWith('2026-02-08') === true);
    expect(hit?.kind === 'other-date-rows' && hit.rows).toBe(other.length);
    expect(other.length).toBeGreaterThan(0);
    expect(g.expectedDroppedRows).toBe(other.length);
    expect(lines(g, 'rd5800').some((r) => r[8]?.startsWith('2026-02-08') === true)).toBe(true);
  });

  test('CRLF line endings on every file', () => {
    const g = generateGroup({ ...base, edgeCases: { crlf: 1 } });
    for (const f of g.files) expect(f.content.toString().split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    expect(g.expectedOutputRows).toBe(g.rd5000Rows);
  });

  test('quoted and non-ASCII product names in rd5500', () => {
    const g = generateGroup({ ...base, edgeCases: { quotedNames: true, nonAscii: true } });
    const raw = text(g, 'rd5500');
    expect(raw).toContain('"EXT""E BURGER"');
    expect(raw).toContain('PIÑA COLADA');
    expect(raw).toContain('CAFÉ AU LAIT');
    expect(lines(g, 'rd5500').find((r) => r[0] === 'REPBS5')?.[1]).toBe('EXT"E BURGER');
  });

  test('hour anomaly writes 7:25-style times that the combiner drops', () => {
    const g = generateGroup({ ...base, edgeCases: { hourAnomalies: 1 } });
    const bad = lines(g, 'rd5000').filter((r) => /^\d:\d\d$/.test(r[13] ?? ''));
    expect(bad.length).toBeGreaterThan(0);
    expect(g.expectedDroppedRows).toBe(bad.length);
  });

  test('short rows in rd5000, rd5500 and rd5800; new format drops sales of the product without department', () => {
    const g = generateGroup({ ...base, format: 'new', edgeCases: { shortRows: 1 } });
    const hit = g.injected.find((i) => i.kind === 'short-rows');
    const product = hit?.kind === 'short-rows' ? hit.product : '';
    expect(lines(g, 'rd5000').some((r) => r.length === 20)).toBe(true);
    expect(lines(g, 'rd5500').find((r) => r[0] === product)).toHaveLength(3);
    expect(lines(g, 'rd5800').some((r) => r.length === 12)).toBe(true);
    const sold = lines(g, 'rd5000').filter((r) => r[4] === product).length;
    expect(sold).toBeGreaterThan(0);
    expect(g.expectedOutputRows).toBe(g.rd5000Rows - sold);
  });

  test('modifier lines: NO ICE, LESS SPICY, WITH CUTLERY...', () => {
    const g = generateGroup({ ...base, scale: { orders: 1, loyalty: 0.01 }, edgeCases: { modifiers: true } });
    const codes = new Set(lines(g, 'rd5000').map((r) => r[4]));
    const modifiers = lines(g, 'rd5500').filter((r) => r[3] === '72');
    expect(modifiers.map((r) => r[1])).toEqual(expect.arrayContaining(['NO ICE', 'LESS SPICY', 'WITH CUTLERY']));
    expect(modifiers.some((r) => codes.has(r[0]))).toBe(true);
    expect(generateGroup(base).files.find((f) => f.type === 'rd5000')?.content.toString()).not.toMatch(/,MOD\d,/);
  });

  test('blank line at the end of rd5000 is a dropped row', () => {
    const g = generateGroup({ ...base, edgeCases: { blankLines: 1 } });
    expect(text(g, 'rd5000').endsWith('\n\n')).toBe(true);
    expect(g.expectedDroppedRows).toBe(1);
  });

  test('edgeCases: true sprinkles a few of each over many groups', () => {
    const kinds = new Set<string>();
    for (let d = 1; d <= 28; d++) {
      for (const branch of ['TBCO', 'LIGAO', 'GUBAT']) {
        const date = `2026-02-${String(d).padStart(2, '0')}`;
        for (const i of generateGroup({ ...base, branch, date, edgeCases: true, scale: { orders: 0.05, loyalty: 0.001 } }).injected) kinds.add(i.kind);
      }
    }
    expect(kinds.size).toBeGreaterThanOrEqual(6);
  });
});
