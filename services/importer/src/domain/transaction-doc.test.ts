import { describe, expect, test } from 'vitest';
import { generateRows } from '../testing/parsed-rows.generator.js';
import { toTransactionDoc, transactionId } from './transaction-doc.js';

const key = { branch: 'AYALA-FRN', pos: 2, date: '2025-10-08' };

describe('transaction documents', () => {
  test('ids are deterministic and differ by line, content and generation', () => {
    const [a, b] = [...generateRows(key, { rows: 2, seed: 9 })];
    if (!a || !b) throw new Error('rows');
    const pid = 'AYALA-FRN_2_2025-10-08';
    expect(toTransactionDoc(a, pid, 4)._id).toBe(toTransactionDoc({ ...a }, pid, 4)._id);
    expect(transactionId('p#1', a)).not.toBe(transactionId('p#1', b));
    expect(transactionId('p#1', a)).not.toBe(transactionId('p#1', { ...a, legacy: a.legacy + 'x' }));
    expect(transactionId('p#1', a)).not.toBe(transactionId('p#2', a));
    expect(toTransactionDoc(a, pid, 4)._id).toMatch(/^AYALA-FRN_2_2025-10-08#4:\d+:[0-9a-f]{12}$/);
  });

  test('dateAt is midnight UTC of the business date, whatever the process time zone', () => {
    const [a] = [...generateRows(key, { rows: 1, seed: 1 })];
    if (!a) throw new Error('row');
    const doc = toTransactionDoc({ ...a, time: '23:59' }, 'AYALA-FRN_2_2025-10-08', 1);
    expect(doc.dateAt.toISOString()).toBe('2025-10-08T00:00:00.000Z');
    expect(doc).toMatchObject({ date: '2025-10-08', pg: 'AYALA-FRN_2_2025-10-08#1', generation: 1 });
  });
});
