import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeDataset } from './dataset.writer.js';
import { writeLargeRd5000 } from './large-rd5000.writer.js';
import { writeReference } from './reference.writer.js';
import { fileLines, splitCsvLine } from './csv-line.js';

const dirs: string[] = [];
const tmp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'synth-test-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('writeDataset', () => {
  test('writes every group by date and summarises rows per partition', async () => {
    const out = await tmp();
    const s = await writeDataset({ outDir: out, branches: 3, pos: [1, 2], from: '2026-02-08', to: '2026-02-10', seed: 9, scale: { orders: 0.1, loyalty: 0.005 } });
    expect(s.groups).toBe(3 * 2 * 3);
    expect(s.files).toBe(s.groups * 7);
    expect(await readdir(out)).toEqual(['2026-02-08', '2026-02-09', '2026-02-10']);
    const p = s.partitions[0];
    expect(p?.files.every((f) => f.startsWith(`${p.date}/a_${p.branch}_${p.pos}_`))).toBe(true);
    const rd5000 = p?.files.find((f) => f.includes('_rd5000_')) ?? '';
    const rows = fileLines(await readFile(join(out, rd5000), 'utf8')).length - 1;
    expect(p?.rd5000Rows).toBe(rows);
    expect(p?.expectedOutputRows).toBe(rows);
    expect(s.rd5000Rows).toBe(s.partitions.reduce((a, x) => a + x.rd5000Rows, 0));
  });

  test('same seed, same bytes; flat layout', async () => {
    const [a, b] = [await tmp(), await tmp()];
    const opts = { branches: ['TBCO', 'PLNG'], newBranches: ['PLNG'], from: '2026-02-09', to: '2026-02-09', seed: 3, edgeCases: true, layout: 'flat', scale: { orders: 0.1, loyalty: 0.005 } } as const;
    await writeDataset({ ...opts, outDir: a });
    await writeDataset({ ...opts, outDir: b });
    const names = (await readdir(a)).sort();
    expect(names).toEqual((await readdir(b)).sort());
    expect(names.some((n) => n.startsWith('a_PLNG_1_rd5000_'))).toBe(true);
    for (const n of names) expect((await readFile(join(a, n))).equals(await readFile(join(b, n)))).toBe(true);
  });
});

describe('writeReference', () => {
  test('writes the eight reference files, consistent with the branches', async () => {
    const dir = await tmp();
    await writeReference(dir, { branches: ['TBCO', 'PLNG'], newBranches: ['PLNG'] });
    expect((await readdir(dir)).sort()).toEqual(
      ['aaa_headers.csv', 'branches.txt', 'conversion.csv', 'conversion_branch.csv', 'conversion_category.csv', 'conversion_combined.csv', 'conversion_dept.csv', 'newBranches.txt'].sort(),
    );
    expect(await readFile(join(dir, 'branches.txt'), 'utf8')).toBe('TBCO\nPLNG');
    expect(await readFile(join(dir, 'newBranches.txt'), 'utf8')).toBe('PLNG');
    expect((await readFile(join(dir, 'aaa_headers.csv'), 'utf8')).split(',')).toHaveLength(27);
    const category = fileLines(await readFile(join(dir, 'conversion_category.csv'), 'utf8')).map(splitCsvLine);
    expect(category.length).toBeGreaterThan(150);
    expect(category.every((r) => r.length === 2)).toBe(true);
    expect(await readFile(join(dir, 'conversion_branch.csv'), 'utf8')).toContain('TBCO,TABACO');
  });
});

describe('writeLargeRd5000', () => {
  test('streams at least the target size of well-formed rows', async () => {
    const dir = await tmp();
    const r = await writeLargeRd5000(join(dir, 'big.csv'), 2_000_000, { seed: 2 });
    expect((await stat(r.path)).size).toBe(r.bytes);
    expect(r.bytes).toBeGreaterThanOrEqual(2_000_000);
    const lines = fileLines(await readFile(r.path, 'utf8'));
    expect(lines.length - 1).toBe(r.rows);
    expect(lines.slice(1).every((l) => l.split(',').length === 40)).toBe(true);
    const invoices = lines.slice(1).map((l) => Number(l.split(',')[2]));
    expect(invoices.every((n, i) => i === 0 || n >= (invoices[i - 1] ?? 0))).toBe(true);
  });
});
