import { describe, expect, test } from 'vitest';
import { partitionId } from '@posflow/contracts';
import { buildCoverageGrid } from './coverage-grid.js';
import { decodeTransactionCursor as decodeCursor, encodeTransactionCursor as encodeCursor } from '@posflow/dal';
import { csvField, transactionCsvLine, TRANSACTION_CSV_HEADER } from './csv.js';
import { addDays, manilaYesterday, previousYear, rangeProblem } from './dates.js';
import { planFetch } from './enqueue-plan.js';
import { maskLegacyLine, maskPhone } from './masking.js';
import { expandRange, keysFromMissingMap, scanMissing } from './missing-map.js';
import { divideE4, formatE4 } from './money.js';
import { buildSalesReport } from './sales-report.js';
import { toClusterView } from './cluster-view.js';

const now = new Date('2026-02-10T12:00:00Z');
const k = (branch: string, date: string, pos = 1) => ({ branch, pos, date });

describe('dates', () => {
  test('yesterday in Manila crosses the UTC day boundary', () => {
    expect(manilaYesterday(new Date('2026-02-09T16:30:00Z'))).toBe('2026-02-09'); // 00:30 on the 10th in Manila
    expect(manilaYesterday(new Date('2026-02-09T15:30:00Z'))).toBe('2026-02-08');
  });
  test('previous year maps Feb 29 to Feb 28', () => {
    expect(previousYear('2028-02-29')).toBe('2027-02-28');
    expect(previousYear('2026-03-01')).toBe('2025-03-01');
  });
  test('range problems', () => {
    expect(rangeProblem('2026-02-10', '2026-02-09', 400)).toMatch(/after/);
    expect(rangeProblem('2025-01-01', '2026-02-09', 400)).toMatch(/over the limit of 400/);
    expect(rangeProblem('2026-01-01', '2026-01-01', 1)).toBeNull();
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});

describe('enqueue plan', () => {
  const fresh = new Date(now.getTime() - 60_000);
  const old = new Date(now.getTime() - 10 * 3_600_000);
  const opts = { now, inFlightFreshMs: 6 * 3_600_000, idOf: partitionId };
  const existing = new Map([
    ['A_1_2026-02-01', { status: 'loaded' as const, updatedAt: old }],
    ['A_1_2026-02-02', { status: 'fetching' as const, updatedAt: fresh }],
    ['A_1_2026-02-03', { status: 'fetching' as const, updatedAt: old }],
    ['A_1_2026-02-04', { status: 'failed' as const, updatedAt: fresh }],
    ['A_1_2026-02-05', { status: 'pending' as const, updatedAt: fresh, knownEmpty: true }],
  ]);
  const keys = ['01', '02', '03', '04', '05', '06'].map((d) => k('A', `2026-02-${d}`));

  test('skips loaded, in-flight and known-empty; enqueues new, failed and stuck ones', () => {
    const plan = planFetch(keys, existing, { ...opts, force: false });
    expect(plan.enqueue.map((x) => x.date)).toEqual(['2026-02-03', '2026-02-04', '2026-02-06']);
    expect(plan.skipped.map((s) => [s.key.date, s.reason])).toEqual([
      ['2026-02-01', 'loaded'],
      ['2026-02-02', 'in-flight'],
      ['2026-02-05', 'known-empty'],
    ]);
  });
  test('force re-fetches loaded and known-empty but never a partition in flight', () => {
    const plan = planFetch(keys, existing, { ...opts, force: true });
    expect(plan.skipped.map((s) => s.reason)).toEqual(['in-flight']);
    expect(plan.enqueue).toHaveLength(5);
  });
});

describe('missing map', () => {
  test('the legacy map expands (string POS keys), deduplicated and sorted', () => {
    expect(keysFromMissingMap({ BMC: { '2': ['2026-02-09'], '1': ['2026-02-09', '2026-02-08', '2026-02-09'] } })).toEqual([
      k('BMC', '2026-02-08'),
      k('BMC', '2026-02-09'),
      k('BMC', '2026-02-09', 2),
    ]);
  });
  test('scan tells empty and known-empty apart from never fetched and failed', () => {
    const expected = expandRange('2026-02-08', '2026-02-09', ['A', 'B'], [1]);
    const existing = new Map([
      ['A_1_2026-02-08', { status: 'loaded' as const }],
      ['A_1_2026-02-09', { status: 'empty' as const }],
      ['B_1_2026-02-08', { status: 'pending' as const, knownEmpty: true }],
      ['B_1_2026-02-09', { status: 'failed' as const }],
    ]);
    const scan = scanMissing(expected, existing, partitionId);
    expect(scan.map).toEqual({ B: { '1': ['2026-02-09'] } });
    expect(scan.empty).toEqual([
      { ...k('B', '2026-02-08'), knownEmpty: true },
      { ...k('A', '2026-02-09'), knownEmpty: false },
    ]);
  });
});

describe('coverage grid', () => {
  test('POS 1 row for every branch, other POS only when seen, null for never requested', () => {
    const g = buildCoverageGrid('2026-02-08', '2026-02-09', ['A', 'B'], [
      { ...k('A', '2026-02-09', 2), status: 'loaded', rowsLoaded: 10 },
      { ...k('B', '2026-02-08'), status: 'empty', rowsLoaded: 0, knownEmpty: true },
    ]);
    expect(g.rows.map((r) => `${r.branch}/${r.pos}`)).toEqual(['A/1', 'A/2', 'B/1']);
    expect(g.rows[1]?.cells).toEqual([null, { status: 'loaded', rows: 10 }]);
    expect(g.rows[2]?.cells[0]).toEqual({ status: 'empty', rows: 0, knownEmpty: true });
    expect(g.totals).toEqual({ loaded: 1, empty: 1, never: 4 });
  });
});

describe('masking', () => {
  test('phones keep prefix and last two digits', () => {
    expect(maskPhone('09171234512')).toBe('0917*****12');
  });
  test('the legacy phone field is found from the end even with commas in names', () => {
    const line = '1,"=""00250621""",X,1.000,"A, B",Dinner,18,GLOBAL PAY,09171234512,BMC';
    expect(maskLegacyLine(line)).toBe('1,"=""00250621""",X,1.000,"A, B",Dinner,18,GLOBAL PAY,0917*****12,BMC');
    expect(maskLegacyLine('1,2,,BMC')).toBe('1,2,,BMC');
  });
});

describe('money and CSV', () => {
  test('E4 integers render exactly', () => {
    expect(formatE4(1_445_000)).toBe('144.50');
    expect(formatE4(93_333)).toBe('9.3333');
    expect(formatE4(-5)).toBe('-0.0005');
    expect(formatE4(0)).toBe('0.00');
    expect(formatE4(null)).toBe('');
    expect(formatE4(9_007_199_254_740_991)).toBe('900719925474.0991');
    expect(divideE4(1_000_000, 3)).toBe('33.3333');
    expect(divideE4(20_000, 3)).toBe('0.6667');
    expect(divideE4(5, 0)).toBeNull();
  });
  test('CSV fields are quoted only when needed', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(12)).toBe('12');
  });
  test('a typed line has one field per header column', () => {
    const row = {
      date: '2026-02-09', time: '20:23', branch: 'BMC', branchName: 'Main', pos: 1, receiptNo: '00250621',
      transNo: '00247791', itemCode: 'PST2', productName: 'SPAG, W BREAD', productClean: 'SPAG', productCombined: 'SPAG',
      category: 'PASTA', departmentCode: '04', departmentName: 'PASTA DISHES', departmentClean: 'PASTA', quantity: 1,
      unitPriceE4: 1_440_000, amountE4: 1_440_000, discountE4: 0, vatAmountE4: 93_330, vatDiscountE4: 0,
      vatPriceE4: 1_285_710, discountCode: '', discountName: '', transactionType: 'Take-Out', paymentCode: '18',
      paymentName: 'GLOBAL PAY', daypart: 'Dinner' as const, hour: 20, phone: '', isModifier: false,
    };
    const line = transactionCsvLine(row);
    expect(line).toContain(',"SPAG, W BREAD",');
    expect(line).toContain(',144.00,144.00,0.00,9.333,');
    expect(TRANSACTION_CSV_HEADER.split(',')).toHaveLength(31);
  });
});

describe('cursor', () => {
  test('round-trips and rejects foreign input', () => {
    const c = { d: '2026-02-09', t: '20:23', i: 'x' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor('not-a-cursor')).toBeNull();
  });
});

describe('sales report', () => {
  test('AC = sales / TC, groups ordered, previous year joined by shifted day', () => {
    const r = buildSalesReport({
      from: '2026-02-08',
      to: '2026-02-09',
      groupBy: 'day',
      scope: 'all',
      rows: [
        { key: '2026-02-09', salesE4: 3_000_000, quantity: 3, receipts: 2 },
        { key: '2026-02-08', salesE4: 1_000_000, quantity: 1, receipts: 1 },
      ],
      totals: [{ key: '', salesE4: 4_000_000, quantity: 4, receipts: 3 }],
      previous: {
        rows: [{ key: '2025-02-09', salesE4: 500_000, quantity: 1, receipts: 1 }],
        totals: [{ key: '', salesE4: 500_000, quantity: 1, receipts: 1 }],
      },
    });
    expect(r.groups.map((g) => [g.key, g.sales, g.tc, g.ac])).toEqual([
      ['2026-02-08', '100.00', 1, '100.00'],
      ['2026-02-09', '300.00', 2, '150.00'],
    ]);
    expect(r.groups[1]?.previous?.sales).toBe('50.00');
    expect(r.groups[0]?.previous?.sales).toBe('0.00');
    expect(r.total.ac).toBe('133.3333');
    expect(r.previousTotal?.tc).toBe(1);
  });
  test('weekday keys are named; product groups by sales with a limit', () => {
    const w = buildSalesReport({
      from: '2026-02-01', to: '2026-02-07', groupBy: 'weekday', scope: 'all',
      rows: [{ key: '1', salesE4: 1, quantity: 1, receipts: 1 }, { key: '0', salesE4: 1, quantity: 1, receipts: 1 }],
      totals: [],
    });
    expect(w.groups.map((g) => g.key)).toEqual(['Sunday', 'Monday']);
    const p = buildSalesReport({
      from: '2026-02-01', to: '2026-02-07', groupBy: 'product', scope: 'products', limit: 1,
      rows: [{ key: 'A', salesE4: 1, quantity: 1, receipts: 1 }, { key: 'B', salesE4: 9, quantity: 1, receipts: 1 }],
      totals: [],
    });
    expect(p.groups.map((g) => g.key)).toEqual(['B']);
  });
});

describe('cluster view mapping', () => {
  test('maps deployments and pods', () => {
    const v = toClusterView(
      'posflow',
      [{ metadata: { name: 'fetcher' }, spec: { replicas: 2 }, status: { readyReplicas: 1, availableReplicas: 1, updatedReplicas: 2 } }],
      [
        {
          metadata: { name: 'fetcher-1', labels: { 'app.kubernetes.io/component': 'fetcher' } },
          spec: { nodeName: 'n1' },
          status: { phase: 'Running', startTime: '2026-02-09T00:00:00Z', containerStatuses: [{ ready: true, restartCount: 2 }] },
        },
        { metadata: { name: 'fetcher-0' }, status: {} },
      ],
    );
    expect(v.deployments).toEqual([{ name: 'fetcher', desired: 2, ready: 1, available: 1, updated: 2 }]);
    expect(v.pods?.[0]).toEqual({ name: 'fetcher-0', phase: 'Unknown', ready: false, restarts: 0 });
    expect(v.pods?.[1]).toMatchObject({ component: 'fetcher', ready: true, restarts: 2, node: 'n1', startedAt: '2026-02-09T00:00:00.000Z' });
  });
});
