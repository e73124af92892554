import { describe, expect, test } from 'vitest';
import { FILE_TYPES } from '@posflow/contracts';
import { fileLines, splitCsvLine } from './csv-line.js';
import { generateGroup, type GeneratedGroup } from './group.generator.js';
import { headerLine } from './headers.js';
import { LoyaltyLog } from './loyalty-log.js';

const small = { orders: 0.3, loyalty: 0.01 };

function rows(g: GeneratedGroup, type: string): string[][] {
  const f = g.files.find((x) => x.type === type);
  if (!f) throw new Error(`no ${type}`);
  return fileLines(f.content.toString('utf8')).slice(1).map(splitCsvLine);
}

describe('generateGroup', () => {
  test('same seed gives the same bytes, another seed other bytes', () => {
    const a = generateGroup({ branch: 'TBCO', pos: 1, date: '2026-02-09', seed: 5, scale: small, edgeCases: true });
    const b = generateGroup({ branch: 'TBCO', pos: 1, date: '2026-02-09', seed: 5, scale: small, edgeCases: true });
    const c = generateGroup({ branch: 'TBCO', pos: 1, date: '2026-02-09', seed: 6, scale: small, edgeCases: true });
    expect(a.files.map((f) => [f.name, f.content.toString('base64')])).toEqual(b.files.map((f) => [f.name, f.content.toString('base64')]));
    expect(c.files.find((f) => f.type === 'rd5000')?.content.equals(a.files.find((f) => f.type === 'rd5000')?.content ?? Buffer.alloc(0))).toBe(false);
  });

  test('a day does not depend on which other days are generated', () => {
    const alone = generateGroup({ branch: 'LIGAO', pos: 2, date: '2026-03-01', seed: 3, scale: small });
    generateGroup({ branch: 'LIGAO', pos: 2, date: '2026-02-28', seed: 3, scale: small });
    const again = generateGroup({ branch: 'LIGAO', pos: 2, date: '2026-03-01', seed: 3, scale: small });
    expect(again.files.map((f) => f.content.toString())).toEqual(alone.files.map((f) => f.content.toString()));
  });

  test('seven files named a_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv with the real headers', () => {
    const g = generateGroup({ branch: 'SMSRS-FRN', pos: 1, date: '2026-02-09', scale: small });
    expect(g.files.map((f) => f.type).sort()).toEqual([...FILE_TYPES].sort());
    for (const f of g.files) {
      expect(f.name).toMatch(new RegExp(`^a_SMSRS-FRN_1_${f.type}_2026-02-09_\\d\\d-\\d\\d_\\.csv$`));
      expect(f.content.toString().split('\n')[0]).toBe(headerLine(f.type, 'classic'));
    }
  });

  test.each(['classic', 'new'] as const)('cross-file consistency (%s format)', (format) => {
    const g = generateGroup({ branch: 'GUBAT', pos: 1, date: '2026-02-10', seed: 11, format, scale: { orders: 1, loyalty: 0.01 } });
    const products = new Map(rows(g, 'rd5500').map((r) => [r[0], r]));
    const deptCol = format === 'new' ? 12 : 3;
    const depts = new Set(rows(g, 'rd1800').map((r) => r[0]));
    const discounts = new Set(rows(g, 'discount').map((r) => r[0]));
    const payCodes = new Set(rows(g, 'rd5900').map((r) => r[0]));
    const sales = rows(g, 'rd5000');
    const payments = rows(g, 'rd5800');
    expect(sales.length).toBeGreaterThan(format === 'new' ? 50 : 200);
    for (const r of sales) {
      expect(r).toHaveLength(40);
      expect(r[12]?.split(' ')[0]).toBe('2026-02-10');
      expect(r[13]).toMatch(/^\d\d:\d\d$/);
      // Discount lines ("SDis- 20.00%") are not products, in the real exports either.
      if (r[4]?.startsWith('SDis-') === true) continue;
      const product = products.get(r[4]);
      expect(product, `item ${r[4]} in rd5500`).toBeDefined();
      expect(depts.has(product?.[deptCol]), `department ${product?.[deptCol]} in rd1800`).toBe(true);
      if (format === 'classic') expect(r[11]).toBe(product?.[3]);
      if (r[18] !== '') expect(discounts.has(r[18]), `discount ${r[18]}`).toBe(true);
      expect(['D', 'T', 'C']).toContain(r[21]);
    }
    const saleTrans = new Set(sales.map((r) => r[37]));
    const payTrans = new Set(payments.map((r) => r[20]));
    expect(payTrans).toEqual(saleTrans);
    for (const p of payments) expect(payCodes.has(p[11]), `paycode ${p[11]}`).toBe(true);
    expect(g.expectedOutputRows).toBe(sales.length);
  });

  test('realistic volume and spread: several lines per order, dayparts, all order types', () => {
    const g = generateGroup({ branch: 'TBCO', pos: 1, date: '2026-02-07', seed: 2 });
    const sales = rows(g, 'rd5000');
    const orders = new Set(sales.map((r) => r[2]));
    expect(sales.length).toBeGreaterThan(300);
    expect(sales.length / orders.size).toBeGreaterThan(1.8);
    const hours = new Set(sales.map((r) => Number(r[13]?.slice(0, 2))));
    expect([...hours].some((h) => h >= 11 && h <= 14)).toBe(true);
    expect([...hours].some((h) => h >= 19 && h <= 22)).toBe(true);
    expect(new Set(sales.map((r) => r[21]))).toEqual(new Set(['D', 'T', 'C']));
  });

  test('new format: 4-decimal floats, empty DEP_CODE/POS/BRANCH, CATEG_ID in column 12', () => {
    const g = generateGroup({ branch: 'PLNG', pos: 1, date: '2026-02-09', format: 'new', scale: small });
    const sale = rows(g, 'rd5000')[1] ?? [];
    expect(sale[1]).toMatch(/^2026-02-09T\d\d:\d\d:\d\d$/);
    expect(sale[7]).toMatch(/^-?\d+\.\d{1,4}$/);
    expect(sale[11]).toBe('');
    expect(sale[38]).toBe('');
    expect(sale[39]).toBe('');
    expect(sale[2]).toBe(sale[37]);
    const product = rows(g, 'rd5500')[0] ?? [];
    expect(product).toHaveLength(15);
    expect(product[3]).toBe('406');
    expect(product[12]).not.toBe('');
    expect(rows(g, 'blpr')).toEqual([]);
  });

  test('cumulative loyalty log grows day by day and keeps its prefix', () => {
    const log = new LoyaltyLog(1, 'TBCO', 'TEMP', 0.05);
    const d1 = [...log.historyUpTo('2026-02-09')];
    const d2 = log.historyUpTo('2026-02-10');
    expect(d2.length).toBeGreaterThan(d1.length);
    expect(d2.slice(0, d1.length)).toEqual(d1);
    expect(new LoyaltyLog(1, 'TBCO', 'TEMP', 0.05).historyUpTo('2026-02-10')).toEqual(d2);
    const blpr = rows(generateGroup({ branch: 'TBCO', pos: 1, date: '2026-02-09', scale: small }), 'blpr');
    expect(blpr.every((r) => r.length === 6 && r[5] === 'TBCO' && r[4] === '1')).toBe(true);
  });

  test('full-scale loyalty log is a few MB', () => {
    const g = generateGroup({ branch: 'TBCO', pos: 1, date: '2026-02-09', scale: { orders: 0.1 } });
    const size = g.files.find((f) => f.type === 'blpr')?.content.length ?? 0;
    expect(size).toBeGreaterThan(1_000_000);
    expect(size).toBeLessThan(8_000_000);
  });
});
