import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DroppedRow } from '@posflow/contracts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { combineGroup } from './combine-group.js';
import { LoyaltyLogCache } from './loyalty-log.cache.js';
import { referenceFromText } from './reference-data.js';
import { KEY, LOOKUP_FILES, combineText, rd5000File, withLookups } from './testing/group-builder.js';

const manyRows = (n: number) =>
  rd5000File(
    ...Array.from({ length: n }, (_, i) => ({
      INVOICE: String(100_000 + i),
      TIME: `${String(i % 24).padStart(2, '0')}:00`,
    })),
  );

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'combine-group-test-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('combineGroup', () => {
  test('rows come out in reverse file order (last rd5000 line first)', async () => {
    const out = await combineText({ files: withLookups(manyRows(5)) });
    expect(out.rows.map((r) => r.line)).toEqual([6, 5, 4, 3, 2]);
    expect(out.rows.map((r) => r.receiptNo)).toEqual(['100004', '100003', '100002', '100001', '100000']);
  });

  test('spill path: a tiny threshold gives the same rows in the same order, and its temp files are removed', async () => {
    const rd5000 = manyRows(300);
    const inMemory = await combineText({ files: withLookups(rd5000) });
    const spilled = await combineText({
      files: withLookups(rd5000),
      options: { spillThresholdChars: 1, tmpDir: tmp, batchSize: 7 },
    });
    expect(spilled.report.spilledBytes).toBeGreaterThan(rd5000.length);
    expect(inMemory.report.spilledBytes).toBe(0);
    expect(spilled.rows).toEqual(inMemory.rows);
    const mid = await combineText({
      files: withLookups(rd5000),
      options: { spillThresholdChars: 5_000, tmpDir: tmp },
    });
    expect(mid.rows).toEqual(inMemory.rows);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('a consumer that stops early still gets the temp files removed', async () => {
    const files = withLookups(manyRows(100));
    const run = combineGroup(
      {
        key: KEY,
        files: Object.fromEntries(
          Object.entries(files).map(([t, text]) => [t, { name: t, open: () => [text as string] }]),
        ),
      },
      { reference: referenceFromText({}), spillThresholdChars: 1, tmpDir: tmp, batchSize: 10 },
    );
    for await (const batch of run.batches()) {
      expect(batch).toHaveLength(10);
      break;
    }
    expect(run.report.complete).toBe(false);
    expect(await readdir(tmp)).toEqual([]);
  });

  test('CRLF endings, a BOM and odd chunk boundaries change nothing', async () => {
    const lf = manyRows(20);
    const bytes = new TextEncoder().encode(`\uFEFF${lf.replaceAll('\n', '\r\n')}`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 37) }, (_, i) =>
      bytes.slice(i * 37, i * 37 + 37),
    );
    const plain = await combineText({ files: withLookups(lf) });
    const crlf = await combineText({ files: withLookups(chunks) });
    expect(crlf.rows).toEqual(plain.rows);
    expect(crlf.report.dropped).toEqual([]);
  });

  test('every dropped row goes to onDrop in line order; the report keeps up to maxDroppedKept and counts all', async () => {
    const seen: DroppedRow[] = [];
    const rd5000 = rd5000File({ DATE: 'x' }, {}, { TIME: '7:25' }, { DATE: 'y' });
    const out = await combineText({
      files: withLookups(rd5000),
      options: { onDrop: (d) => seen.push(d), maxDroppedKept: 1 },
    });
    expect(seen.map((d) => [d.line, d.reason])).toEqual([
      [2, 'date-mismatch'],
      [4, 'bad-hour'],
      [5, 'date-mismatch'],
    ]);
    expect(out.report).toMatchObject({
      droppedCount: 3,
      droppedByReason: { 'date-mismatch': 2, 'bad-hour': 1 },
      rows: 1,
      dataLines: 4,
    });
    expect(out.report.dropped).toHaveLength(1);
  });

  test('missing lookup files are listed and leave the appended columns empty', async () => {
    const out = await combineText({ files: { rd5000: rd5000File({}) } });
    expect(out.report.missingFiles).toEqual(['rd5500', 'rd1800', 'discount', 'rd5800', 'rd5900', 'blpr']);
    expect(out.legacy[0]?.split(',').slice(18)).toEqual([
      '',
      '',
      '',
      '"Dine-In"',
      'Breakfast',
      '',
      '',
      '',
      'BMC',
    ]);
  });
});

describe('quoted fields: deviations from the legacy bare-comma split (documented)', () => {
  test('rd5500 `"EXT""E BURGER"`: the legacy wrote `""EXT""E BURGER""` (broken CSV); we write the parsed name properly quoted', async () => {
    const rd5500 = `${LOOKUP_FILES.rd5500}REPBS5,"EXT""E BURGER","EXT""E BURGER",03\n`;
    const out = await combineText({ files: withLookups(rd5000File({ ITE_CODE: 'REPBS5' }), { rd5500 }) });
    expect(out.rows[0]?.productName).toBe('EXT"E BURGER');
    expect(out.legacy[0]).toContain(',"EXT""E BURGER","BREAKFAST",');
  });

  test('rd5500 name with a comma: the legacy split it and shifted DEP_CODE; we keep the columns', async () => {
    const reference = referenceFromText({ newBranches: 'BMC\n' });
    const rd5500 = `${LOOKUP_FILES.rd5500}BIG,"2 TANGUIGUE, 2 SOUP",X,03\n`;
    const out = await combineText({
      reference,
      files: withLookups(rd5000File({ ITE_CODE: 'BIG' }), { rd5500 }),
    });
    expect(out.legacy[0]).toContain(',"03",2026-02-09,');
    expect(out.legacy[0]).toContain(',"2 TANGUIGUE, 2 SOUP","BREAKFAST",');
  });

  test('a quoted rd5000 field with a comma stays one field and is written quoted (the legacy shifted every later column)', async () => {
    const line = rd5000File({}).split('\n')[1]?.replace(',CUSTOMER EBEBAE,', ',"EBEBAE, CUSTOMER",') ?? '';
    const out = await combineText({ files: withLookups(`${rd5000File().split('\n')[0]}\n${line}\n`) });
    expect(out.rows[0]?.paymentName).toBe('CASH');
    expect(
      out.legacy[0]?.endsWith(
        ',00247627,"COUNTRY BREAKFAST","BREAKFAST","SNR CTZN 20%","Dine-In",Breakfast,00001,CASH,,BMC',
      ),
    ).toBe(true);
  });

  test('blpr `"=""00019702"""`: same key as the legacy', async () => {
    const blpr = `${LOOKUP_FILES.blpr}TEMP,09211959169,"=""00019702""","=""00247627""",1,BMC\n`;
    const out = await combineText({ files: withLookups(rd5000File({}), { blpr }) });
    expect(out.rows[0]?.phone).toBe('09211959169');
  });
  test('a loyalty log cache shared by groups gives the same rows, first sight, whole-log read and reuse', async () => {
    const blpr = `${LOOKUP_FILES.blpr}TEMP,09211959169,"=""1""","=""00247627""",1,BMC\nTEMP,09211959160,x,00247628\n`;
    const rd5000 = rd5000File({}, { TRANSNO: '00247628' }, { TRANSNO: '00247629' });
    const plain = await combineText({ files: withLookups(rd5000, { blpr }) });
    expect(plain.rows.map((r) => r.phone)).toEqual(['', '09211959160', '09211959169']);
    const loyaltyCache = new LoyaltyLogCache();
    for (let i = 0; i < 3; i++) {
      const cached = await combineText({ files: withLookups(rd5000, { blpr }), options: { loyaltyCache } });
      expect(cached.rows).toEqual(plain.rows);
    }
  });
});
