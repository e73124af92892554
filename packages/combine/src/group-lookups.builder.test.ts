import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsvLineFields, parseCsvLine } from './csv-line.parser.js';
import { hashText } from './byte-key.js';
import {
  buildGroupLookups,
  buildProductLookup,
  productLine,
  unwrapExcelText,
} from './group-lookups.builder.js';
import { readLineBatches } from './line.reader.js';

const RD5800_HEADER =
  'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,AMT_TENDER,CHANGE,NAME,REF_NO,DATE,TIME,TAG,PAYCODE,TRN_CODE,REF_CODE,ORDERSLIP,REC_NO,CUSINFO1,CUSINFO2,CUSINFO3,TIN_TAG,TRANSNO,POS,BRANCH';
const tender = (transNo: string, payCode: string) =>
  `1,2026-02-09 00:00:00,00250455,19122,100.000,0.000,,,2026-02-09 00:00:00,07:25,S,${payCode},S,,11,1,,,,1,${transNo},1,BMC`;

describe('buildGroupLookups', () => {
  test('every row counts, the header row included (legacy quirk)', async () => {
    const l = await buildGroupLookups(
      { rd5500: ['INCODE,ITE_DESC,ECR_DESC,DEP_CODE\n'], rd1800: ['DEP_CODE,DEP_DESC,POS,BRANCH\n'] },
      false,
    );
    expect(l.products.get('INCODE')?.name).toBe('ITE_DESC');
    expect(l.departments.get('DEP_CODE')).toBe('DEP_DESC');
  });

  test('first row wins on a repeated key', async () => {
    const l = await buildGroupLookups(
      {
        rd1800: ['01,FIRST\n01,SECOND\n'],
        discount: ['5,PWD\n5,OTHER\n'],
        rd5900: ['00001,CASH\n00001,CARD\n'],
      },
      false,
    );
    expect(l.departments.get('01')).toBe('FIRST');
    expect(l.discounts.get('5')).toBe('PWD');
    expect(l.paymentMethods.get('00001')).toBe('CASH');
  });

  test('missing files leave their lookups empty', async () => {
    const l = await buildGroupLookups({}, true);
    expect([
      l.products.size,
      l.departments.size,
      l.discounts.size,
      l.payments.size,
      l.paymentMethods.size,
      l.loyalty.size,
    ]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('new-format branches: department code from column 12 on rows longer than 12 columns, else column 3, else none', async () => {
    const rd5500 = [
      'COF23,ICD16 CARAMEL M,ICD16 CARAMEL M,406,175,ORDER,12,1,1,,,,ICED101,0,FULL\n', // 15 columns
      'A,NAME A,ECR,07,1,PC,12,1,1,1,BMC\n', // 11 columns
      'B,NAME B,ECR,08\n', // 4 columns
      'C,NAME C,ECR\n', // 3 columns: no department code
      'D,NAME D,E,F,G,H,I,J,K,L,M,N,\n', // 13 columns, column 12 empty: an empty code, not a missing one
    ].join('');
    const l = await buildGroupLookups({ rd5500: [rd5500] }, true);
    expect(l.products.get('COF23')).toEqual({ name: 'ICD16 CARAMEL M', departmentCode: 'ICED101' });
    expect(l.products.get('A')?.departmentCode).toBe('07');
    expect(l.products.get('B')?.departmentCode).toBe('08');
    expect(l.products.get('C')).toEqual({ name: 'NAME C', departmentCode: null });
    expect(l.products.get('D')?.departmentCode).toBe('');
    const old = await buildGroupLookups({ rd5500: [rd5500] }, false);
    expect(old.products.get('COF23')).toEqual({ name: 'ICD16 CARAMEL M', departmentCode: null });
  });

  test('a product row wins whole: a later row with a department code does not complete an earlier one', async () => {
    const l = await buildGroupLookups({ rd5500: ['X,FIRST\nX,SECOND,E,09\n'] }, true);
    expect(l.products.get('X')).toEqual({ name: 'FIRST', departmentCode: null });
  });

  test('rd5500 quoted names are parsed (RFC 4180), not split on their commas', async () => {
    const l = await buildGroupLookups(
      { rd5500: ['REPBS5,"EXT""E BURGER","EXT""E BURGER",16\nBIG,"2 TANGUIGUE, 2 SOUP",X,17\n'] },
      true,
    );
    expect(l.products.get('REPBS5')).toEqual({ name: 'EXT"E BURGER', departmentCode: '16' });
    expect(l.products.get('BIG')).toEqual({ name: '2 TANGUIGUE, 2 SOUP', departmentCode: '17' });
  });

  test('payments: rows of at least 21 columns, TRANSNO → PAYCODE, a transaction keeps its first tender', async () => {
    const short = tender('00247700', '00009').split(',').slice(0, 20).join(',');
    const l = await buildGroupLookups(
      {
        rd5800: [
          `${RD5800_HEADER}\n${tender('00247627', '00001')}\n${tender('00247627', '00002')}\n${short}\n`,
        ],
      },
      false,
    );
    expect(l.payments.get('00247627')).toBe('00001');
    expect(l.payments.get('TRANSNO')).toBe('PAYCODE'); // the header row, as every row
    expect(l.payments.has('00247700')).toBe(false);
  });

  test('an empty key never matches (a refund with no TRANSNO gets no payment)', async () => {
    const l = await buildGroupLookups(
      {
        rd5800: [`${tender('', '00001')}\n`],
        rd1800: [',NO CODE\n'],
        blpr: ['DAET,09103413929,,,1,AYALA-FRN\n'],
      },
      false,
    );
    expect(l.payments.has('')).toBe(false);
    expect(l.departments.has('')).toBe(false);
    expect(l.loyalty.has('')).toBe(false);
  });

  test('loyalty: more than 3 columns, phone exactly 11 characters, ORNO unwrapped from ="..."', async () => {
    const blpr = [
      'STORE,PHONE,TRANSNO,ORNO,POS,BRANCH',
      'TEMP,09211959169,"=""00019702""","=""00019910""",1,BMC',
      'TEMP,09211959169,"=""00019703""","=""00019910""",1,BMC', // same ORNO again: first wins
      'TEMP,9211959169,"=""00019704""","=""00019911""",1,BMC', // 10 characters
      'TEMP,092119591690,"=""00019705""","=""00019912""",1,BMC', // 12 characters
      'TEMP,09171234567,x,00019913', // a bare ORNO
      'TEMP,09171234567,x', // 3 columns
    ].join('\n');
    const l = await buildGroupLookups({ blpr: [blpr] }, false);
    expect([...l.loyalty]).toEqual([
      ['00019910', '09211959169'],
      ['00019913', '09171234567'],
    ]);
  });

  test('unwrapExcelText', () => {
    expect(unwrapExcelText('="00019910"')).toBe('00019910');
    expect(unwrapExcelText('="')).toBe('="');
    expect(unwrapExcelText('00019910')).toBe('00019910');
  });

  test('productLine: the product a parse of the first 13 columns gives, for any line', () => {
    // The rule as specified (spec "Lookup tables"), on fully parsed columns.
    const reference = (line: string, newFormat: boolean) => {
      const f = parseCsvLine(line, 13).fields;
      if (f.length < 2) return null;
      return [f[0], { name: f[1], departmentCode: newFormat ? (f[12] ?? f[3] ?? null) : null }];
    };
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(',', ',,,', 'A', '07', '"', '""', 'Ñ', ' '), { maxLength: 30 })
          .map((p) => p.join('')),
        fc.boolean(),
        (line, newFormat) => {
          expect(productLine(line, newFormat)).toEqual(reference(line, newFormat));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test("buildProductLookup with the codes a group uses: the whole table's entries for them, whatever the lines", async () => {
    const piece = fc.constantFrom(',', ',,,', 'A', 'B', '07', '"', '""', 'Ñ', ' ', '\r', '="');
    const code = fc.constantFrom('A', 'B', 'AB', '07', '"', '', 'Ñ', 'A"', ' A', '"=""07"""', 'INCODE');
    const rd5500Line = fc.oneof(
      fc.tuple(code, fc.array(piece, { maxLength: 20 })).map(([c, p]) => c + p.join('')),
      fc.array(piece, { maxLength: 20 }).map((p) => p.join('')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(rd5500Line, { maxLength: 12 }),
        fc.uniqueArray(code, { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 23 }),
        async (lines, wanted, newFormat, bom, size) => {
          const bytes = new TextEncoder().encode((bom ? '\uFEFF' : '') + lines.join('\n'));
          const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
            bytes.slice(i * size, (i + 1) * size),
          );
          const whole = (await buildGroupLookups({ rd5500: chunks }, newFormat)).products;
          const some = await buildProductLookup(chunks, newFormat, new Set(wanted.map(hashText)));
          for (const c of wanted) expect(some.get(c)).toEqual(whole.get(c));
          for (const [c, entry] of some) expect(whole.get(c)).toEqual(entry);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('rd1800, discount, rd5800, rd5900 read on their bytes: the tables CsvLineFields gives, whatever the lines', async () => {
    const piece = fc.constantFrom(',', ',,,,', 'A', '07', '"', '""', 'Ñ', ' ', '\r', '\uFEFF', ',,,,,,,,,,');
    const line = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
    // The rule as it was: every line's first columns through CsvLineFields, first row wins, empty keys out.
    const reference = async (chunks: Uint8Array[], columns: number, key: number, value: number) => {
      const table = new Map<string, string>();
      const fields = new CsvLineFields();
      for await (const batch of readLineBatches(chunks)) {
        for (const l of batch.lines) {
          fields.read(l, columns);
          if (fields.length < columns) continue;
          const k = fields.get(key);
          if (k !== '' && !table.has(k)) table.set(k, fields.get(value));
        }
      }
      return table;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 10 }),
        fc.integer({ min: 1, max: 29 }),
        async (lines, size) => {
          const bytes = new TextEncoder().encode(lines.join('\n'));
          const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
            bytes.slice(i * size, (i + 1) * size),
          );
          const l = await buildGroupLookups(
            { rd1800: chunks, discount: chunks, rd5800: chunks, rd5900: chunks },
            false,
          );
          const pairs = await reference(chunks, 2, 0, 1);
          expect([...l.departments]).toEqual([...pairs]);
          expect([...l.discounts]).toEqual([...pairs]);
          expect([...l.paymentMethods]).toEqual([...pairs]);
          expect([...l.payments]).toEqual([...(await reference(chunks, 21, 20, 11))]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
