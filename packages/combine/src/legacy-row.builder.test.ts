import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { combineGroup } from './combine-group.js';
import { daypartOf, hourOf } from './legacy-row.builder.js';
import { referenceFromText } from './reference-data.js';
import {
  KEY,
  LOOKUP_FILES,
  combineText,
  rd5000File,
  rd5000Line,
  withLookups,
  type Rd5000Column,
} from './testing/group-builder.js';

/** The base row's legacy line, as fixtures/legacy-output/BMC_1_2026-02-09.csv has it. */
const BASE_LEGACY =
  '1,"=""00250455""",BRK2,3.000,255.360,766.070,-153.210,"=""03""",2026-02-09,07:25,1,D,0,9.333,766.070,0.000,255.360,00247627,"COUNTRY BREAKFAST","BREAKFAST","SNR CTZN 20%","Dine-In",Breakfast,00001,CASH,,BMC';

async function one(
  row: Partial<Record<Rd5000Column, string>>,
  files: Parameters<typeof withLookups>[1] = {},
) {
  const out = await combineText({ files: withLookups(rd5000File(row), files) });
  return { row: out.rows[0], legacy: out.legacy[0], report: out.report };
}

const cols = (legacy: string | undefined) => parse(legacy ?? '', { relax_quotes: true })[0] ?? [];

describe('one output row per rd5000 data row', () => {
  test('the real BMC row renders exactly as the legacy script wrote it', async () => {
    expect((await one({})).legacy).toBe(BASE_LEGACY);
  });

  test('column 0 is the POS from the file name, not STORE_NUM', async () => {
    const out = await combineText({
      key: { ...KEY, pos: 2 },
      files: withLookups(rd5000File({ STORE_NUM: '7' })),
    });
    expect(out.legacy[0]?.startsWith('2,')).toBe(true);
  });

  test('DATE is cut at its first space and never wrapped', async () => {
    expect((await one({ DATE: '2026-02-09' })).legacy).toBe(BASE_LEGACY);
  });

  test('DEP_CODE is always wrapped, even empty; TRANSNO never is', async () => {
    const { legacy } = await one({ DEP_CODE: '', TRANSNO: '00247627' });
    expect(legacy).toContain(',"=""""",2026-02-09,');
    expect(legacy).toContain(',00247627,');
    expect((await one({ DEP_CODE: '7' })).legacy).toContain(',"=""7""",');
  });

  test('every other column is wrapped when it starts with 0 (with the exceptions)', async () => {
    const { legacy } = await one({
      INVOICE: '0',
      QUANTITY: '01.000',
      UNT_PRIC: '0.500',
      VATDIV: '09',
      TYPE: '0T',
      DISC_CODE: '07',
      VAT_FLAG: '00',
    });
    const c = legacy?.split(',') ?? [];
    expect(c[1]).toBe('0');
    expect(c[3]).toBe('"=""01.000"""');
    expect(c[4]).toBe('0.500');
    expect(c[10]).toBe('"=""07"""');
    expect(c[11]).toBe('"=""0T"""');
    expect(c[12]).toBe('"=""00"""');
    expect(c[13]).toBe('"=""09"""');
  });

  test('a short row is padded with empty fields to 18 columns', async () => {
    const short = rd5000Line().split(',').slice(0, 14).join(','); // up to TIME
    const out = await combineText({ files: withLookups(rd5000File() + short + '\n') });
    expect(out.legacy[0]).toBe(
      '1,"=""00250455""",BRK2,3.000,255.360,766.070,-153.210,"=""03""",2026-02-09,07:25,,,,,,,,,"COUNTRY BREAKFAST","BREAKFAST",,,Breakfast,,,,BMC',
    );
    expect(cols(out.legacy[0])).toHaveLength(27);
  });

  test('only an rd5000 header line is skipped: any other first line is data', async () => {
    const out = await combineText({
      files: withLookups(`${rd5000Line({ INVOICE: 'FIRST' })}
NOT,A,HEADER
`),
    });
    expect(out.rows.map((r) => [r.line, r.receiptNo])).toEqual([[1, 'FIRST']]);
    expect(out.report.dropped.map((d) => [d.reason, d.line])).toEqual([['short-row', 2]]);
  });
});

describe('appended columns', () => {
  test('product name: matched against column 2 as written, so a wrapped code never matches (quirk)', async () => {
    const rd5500 = `${LOOKUP_FILES.rd5500}0123,ZERO PRODUCT,X,03\n0,SINGLE ZERO,X,03\n`;
    expect(cols((await one({ ITE_CODE: '0123' }, { rd5500 })).legacy)[18]).toBe('');
    expect(cols((await one({ ITE_CODE: '0' }, { rd5500 })).legacy)[18]).toBe('SINGLE ZERO');
    expect((await one({ ITE_CODE: 'NOPE' })).row?.productName).toBe('');
  });

  test('discount name: column 10 as written', async () => {
    const discount = `${LOOKUP_FILES.discount}01,ZERO ONE,X,1\n`;
    expect(cols((await one({ DISC_CODE: '01' }, { discount })).legacy)[20]).toBe('');
    expect((await one({ DISC_CODE: '' })).legacy).toContain(',"BREAKFAST",,"Dine-In",');
  });

  test('department name: the written code unwrapped and trimmed', async () => {
    const rd1800 = `${LOOKUP_FILES.rd1800}7,SEVEN,1,BMC\n`;
    expect((await one({ DEP_CODE: ' 7 ' }, { rd1800 })).row?.departmentName).toBe('SEVEN');
  });

  test.each([
    ['D', '"Dine-In"', 'Dine-In'],
    ['T', '"Take-Out"', 'Take-Out'],
    ['C', '"Delivery"', 'Delivery'],
    ['X', '', ''],
    ['', '', ''],
  ])('transaction type %j → %s', async (type, written, typed) => {
    const { legacy, row } = await one({ TYPE: type });
    expect(cols(legacy)[21]).toBe(written === '' ? '' : written.slice(1, -1));
    expect(legacy).toContain(`,${written},Breakfast,`);
    expect(row?.transactionType).toBe(typed);
  });

  test('payment: the first tender of the TRANSNO, then its method name', async () => {
    const rd5800 =
      LOOKUP_FILES.rd5800 + LOOKUP_FILES.rd5800.split('\n')[1]?.replace(',00001,', ',00002,') + '\n';
    const { row } = await one({}, { rd5800, rd5900: `${LOOKUP_FILES.rd5900}00002,CARD,1,0,1,BMC\n` });
    expect([row?.paymentCode, row?.paymentName]).toEqual(['00001', 'CASH']);
  });

  test('phone: blpr is keyed by ORNO but looked up with rd5000 TRANSNO (quirk)', async () => {
    const blpr = (orno: string) => `${LOOKUP_FILES.blpr}TEMP,09211959169,"=""1""","=""${orno}""",1,BMC\n`;
    expect(
      (await one({ TRANSNO: '00247627', INVOICE: '00250455' }, { blpr: blpr('00247627') })).row?.phone,
    ).toBe('09211959169');
    expect(
      (await one({ TRANSNO: '00247627', INVOICE: '00250455' }, { blpr: blpr('00250455') })).row?.phone,
    ).toBe('');
    expect((await one({}, { blpr: blpr('00247627') })).legacy?.endsWith(',09211959169,BMC')).toBe(true);
  });
});

describe('daypart and hour', () => {
  test.each([
    ['00:00', 0, 'GY'],
    ['05:59', 5, 'GY'],
    ['06:00', 6, 'Breakfast'],
    ['10:59', 10, 'Breakfast'],
    ['11:00', 11, 'Lunch'],
    ['14:59', 14, 'Lunch'],
    ['15:00', 15, 'PM Snack'],
    ['18:59', 18, 'PM Snack'],
    ['19:00', 19, 'Dinner'],
    ['22:59', 22, 'Dinner'],
    ['23:00', 23, 'GY'],
    ['24:00', 24, 'GY'],
  ])('%s → hour %d, %s', async (time, hour, daypart) => {
    const { row, legacy } = await one({ TIME: time });
    expect([row?.hour, row?.daypart, row?.time]).toEqual([hour, daypart, time]);
    expect(cols(legacy)[22]).toBe(daypart);
  });

  test('empty TIME → No Time Record, hour null', async () => {
    const { row, legacy } = await one({ TIME: '' });
    expect([row?.hour, row?.daypart]).toEqual([null, 'No Time Record']);
    expect(legacy).toContain(',2026-02-09,,1,D,');
  });

  test.each([['7:25'], ['25:00'], ['99:00'], ['ab:cd'], [' 7:25'], ['7']])(
    'TIME %j is not an hour: the row is dropped as bad-hour',
    async (time) => {
      const out = await combineText({ files: withLookups(rd5000File({}, { TIME: time }, {})) });
      expect(out.rows.map((r) => r.line)).toEqual([4, 2]);
      expect(out.report.dropped).toEqual([
        {
          reason: 'bad-hour',
          file: expect.any(String),
          line: 3,
          raw: rd5000Line({ TIME: time }),
          detail: expect.stringContaining(time),
        },
      ]);
    },
  );

  test('the hour is read from TIME as written: a wrapped TIME (0725) is not an hour', async () => {
    expect((await one({ TIME: '0725' })).report.droppedByReason).toEqual({ 'bad-hour': 1 });
  });

  test('hourOf / daypartOf', () => {
    expect(hourOf('24:00')).toBe(24);
    expect(hourOf('')).toBeNull();
    expect(daypartOf(null, '')).toBe('No Time Record');
  });
});

describe('dropped rows', () => {
  test('DATE other than the group date, blank and short lines: dropped with line number and raw text', async () => {
    const rd5000 = rd5000File({}, { DATE: '2026-02-08 00:00:00' }, {}) + '\n' + 'garbage,line\n';
    const out = await combineText({ files: withLookups(rd5000) });
    expect(out.rows.map((r) => r.line)).toEqual([4, 2]);
    expect(out.report.dropped.map((d) => [d.reason, d.line, d.raw])).toEqual([
      ['date-mismatch', 3, rd5000Line({ DATE: '2026-02-08 00:00:00' })],
      ['short-row', 5, ''],
      ['short-row', 6, 'garbage,line'],
    ]);
    expect(out.report).toMatchObject({ dataLines: 5, rows: 2, droppedCount: 3 });
  });

  test('an unclosed quote makes the row unparsable, not silently misread', async () => {
    const out = await combineText({ files: withLookups(`${rd5000File()}1,"oops\n`) });
    expect(out.report.droppedByReason).toEqual({ 'unparsable-row': 1 });
  });

  test('no rd5000: no rows and a missing-rd5000 entry; other files are not even opened', async () => {
    const opened: string[] = [];
    const run = combineGroup(
      {
        key: KEY,
        files: {
          rd5500: {
            name: 'a_BMC_1_rd5500_2026-02-09_20-00_.csv',
            open: () => (opened.push('rd5500'), [LOOKUP_FILES.rd5500]),
          },
        },
      },
      { reference: referenceFromText({}) },
    );
    const rows = [];
    for await (const row of run.rows()) rows.push(row);
    expect(rows).toEqual([]);
    expect(run.report.dropped).toEqual([
      { reason: 'missing-rd5000', file: 'rd5000', line: 0, raw: '', detail: expect.any(String) },
    ]);
    expect(run.report.complete).toBe(true);
    expect(opened).toEqual([]);
  });
});

describe('new-format branches', () => {
  const reference = referenceFromText({ newBranches: 'BETA\n' });
  const key = { branch: 'BETA', pos: 1, date: '2026-02-09' };
  const rd5500 =
    'INCODE,ITE_DESC,ECR_DESC,DEP_CODE,UNT_PRIC,UNIT,TAXPRCNT1,TAXAMOUNT1,TAX1DIV,POS,BRANCH,TERM_ID,CATEG_ID,VERNO,FULL\nCOF23,ICD16 CARAMEL M,X,406,175,ORDER,12,1,1,,,,ICED101,0,F\nNODEPT,NO DEPT\n';
  const rd1800 = 'DEP_CODE,DEP_DESC,POS,BRANCH\nICED101,ICED,,\n';
  const run = (row: Partial<Record<Rd5000Column, string>>) =>
    combineText({
      key,
      reference,
      files: { rd5000: rd5000File({ DEP_CODE: '', BRANCH: '', ...row }), rd5500, rd1800 },
    });

  test('a matched product replaces column 7 with its rd5500 department code in plain quotes', async () => {
    const out = await run({ ITE_CODE: 'COF23' });
    expect(cols(out.legacy[0]).slice(7, 8)).toEqual(['ICED101']);
    expect(out.legacy[0]).toContain(',"ICED101",2026-02-09,');
    expect(out.legacy[0]).toContain(',"ICD16 CARAMEL M","ICED",');
    expect(out.rows[0]).toMatchObject({ departmentCode: 'ICED101', departmentName: 'ICED' });
  });

  test('a product without a department code drops the row', async () => {
    const out = await run({ ITE_CODE: 'NODEPT' });
    expect(out.rows).toEqual([]);
    expect(out.report.dropped.map((d) => [d.reason, d.line])).toEqual([['no-department-code', 2]]);
  });

  test('an unknown product keeps the wrapped rd5000 DEP_CODE', async () => {
    const out = await run({ ITE_CODE: 'UNKNOWN', DEP_CODE: '05' });
    expect(out.legacy[0]).toContain(',"=""05""",2026-02-09,');
  });

  test('an old-format branch ignores the department code column', async () => {
    const out = await combineText({
      reference,
      files: { rd5000: rd5000File({ ITE_CODE: 'NODEPT' }), rd5500 },
    });
    expect(out.rows).toHaveLength(1);
  });
});

describe('typed fields', () => {
  test('enriched from the reference tables, money exact, numbers as numbers', async () => {
    const reference = referenceFromText({
      productClean: 'COUNTRY BREAKFAST,COUNTRY BRKFST CLEAN\n',
      productCombined: 'COUNTRY BRKFST CLEAN,BREAKFAST MEALS\n',
      category: 'country brkfst clean,Breakfast Meals\n',
      departmentClean: 'BREAKFAST,ALL DAY BREAKFAST\n',
      branchName: 'BMC,BICOL MEDICAL CENTER\n',
    });
    const out = await combineText({ reference, files: withLookups(rd5000File({})) });
    expect(out.rows[0]).toEqual({
      line: 2,
      legacy: BASE_LEGACY,
      branch: 'BMC',
      branchName: 'BICOL MEDICAL CENTER',
      pos: 1,
      date: '2026-02-09',
      time: '07:25',
      hour: 7,
      daypart: 'Breakfast',
      weekday: 1,
      month: 2,
      year: 2026,
      receiptNo: '00250455',
      transNo: '00247627',
      itemCode: 'BRK2',
      productName: 'COUNTRY BREAKFAST',
      productClean: 'COUNTRY BRKFST CLEAN',
      productCombined: 'BREAKFAST MEALS',
      category: 'Breakfast Meals',
      departmentCode: '03',
      departmentName: 'BREAKFAST',
      departmentClean: 'ALL DAY BREAKFAST',
      quantity: 3,
      unitPriceE4: 2_553_600,
      amountE4: 7_660_700,
      discountE4: -1_532_100,
      vatFlag: '0',
      vatDiv: '9.333',
      vatAmountE4: 7_660_700,
      vatDiscountE4: 0,
      vatPriceE4: 2_553_600,
      discountCode: '1',
      discountName: 'SNR CTZN 20%',
      typeCode: 'D',
      transactionType: 'Dine-In',
      paymentCode: '00001',
      paymentName: 'CASH',
      phone: '',
      isModifier: false,
    });
  });

  test('unmatched values pass through: clean name = product name, combined and category = clean name, branch name = code', async () => {
    const out = await combineText({ files: withLookups(rd5000File({})) });
    expect(out.rows[0]).toMatchObject({
      productClean: 'COUNTRY BREAKFAST',
      productCombined: 'COUNTRY BREAKFAST',
      category: 'COUNTRY BREAKFAST',
      departmentClean: 'BREAKFAST',
      branchName: 'BMC',
    });
  });

  test('isModifier: conversion.csv maps the product to NA, or modifiers.txt lists it', async () => {
    const rd5500 = `${LOOKUP_FILES.rd5500}M1,NO ICE,X,03\nM2,LESS SPICY ,X,03\nM3,WITH CUTLERY,X,03\n`;
    const reference = referenceFromText({
      productClean: 'no ice,NA\nWITH CUTLERY,CUTLERY\n',
      modifiers: 'LESS SPICY\ncutlery\n',
    });
    const out = await combineText({
      reference,
      files: withLookups(rd5000File({ ITE_CODE: 'M1' }, { ITE_CODE: 'M2' }, { ITE_CODE: 'M3' }, {}), {
        rd5500,
      }),
    });
    expect(out.rows.map((r) => [r.productName, r.isModifier])).toEqual([
      ['COUNTRY BREAKFAST', false],
      ['WITH CUTLERY', true],
      ['LESS SPICY ', true],
      ['NO ICE', true],
    ]);
  });
});
