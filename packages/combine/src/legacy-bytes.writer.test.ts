import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsvLineFields } from './csv-line.parser.js';
import { buildGroupLookups } from './group-lookups.builder.js';
import { LegacyBytesWriter, PlainLineCheck } from './legacy-bytes.writer.js';
import { FORWARD_FIELDS, buildLegacyLine, rowContext, rowProblem } from './legacy-row.builder.js';
import { scanPlainLine } from './plain-line.scanner.js';
import { referenceFromText } from './reference-data.js';
import { KEY, LOOKUP_FILES, RD5000_COLUMNS, rd5000Line, type Rd5000Column } from './testing/group-builder.js';

// Values that hit the rules (wrap exceptions, hours, dates, lookups' keys), and a few that make a line not plain.
const value = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '00',
    '07',
    '0.5',
    '07:25',
    '7:25',
    '0725',
    '25:00',
    '24:00',
    '0202-01-01',
    '2026-02-09',
    '2026-02-09 00:00:00',
    '2026-02-08',
    'D',
    'T',
    'C',
    'constructor',
    'BRK2',
    'BRK3',
    '03',
    '1',
    '00247627',
    '00001',
  ),
  fc.constantFrom('"', '\r', 'Ñ', 'a,b'),
  fc.string({ maxLength: 4 }),
);
const line = fc
  .oneof(
    { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...RD5000_COLUMNS), value, { maxKeys: 5 }) },
    { weight: 1, arbitrary: fc.constant({}) },
  )
  .chain((v) =>
    fc.nat().map((cut) => {
      const l = rd5000Line(v as Partial<Record<Rd5000Column, string>>);
      return cut % 4 === 0 ? l.slice(0, cut % (l.length + 1)) : l;
    }),
  );

const rd5500 = `${LOOKUP_FILES.rd5500}BRK3,NO DEPT\n00,"Q""UOTED, NAME",X,03\n`;

async function context(newFormat: boolean) {
  const reference = referenceFromText({ newBranches: newFormat ? 'BMC\n' : '' });
  const lookups = await buildGroupLookups(
    { ...LOOKUP_FILES, rd5500: [rd5500] } as Record<string, string[] | string>,
    newFormat,
  );
  return rowContext(KEY, lookups, reference);
}

describe('plain rd5000 lines on their bytes', () => {
  test('PlainLineCheck accepts exactly the plain lines rowProblem accepts', async () => {
    for (const newFormat of [false, true]) {
      const ctx = await context(newFormat);
      const check = new PlainLineCheck(ctx);
      const fields = new CsvLineFields();
      const starts = new Int32Array(FORWARD_FIELDS);
      const ends = new Int32Array(FORWARD_FIELDS);
      fc.assert(
        fc.property(line, (text) => {
          const buf = Buffer.from(text, 'utf8');
          const n = scanPlainLine(buf, 0, buf.length, starts, ends, FORWARD_FIELDS);
          if (n < 0) return;
          fields.read(text, FORWARD_FIELDS, true);
          expect(check.accepts(buf, starts, ends, n)).toBe(rowProblem(fields, false, ctx) === null);
        }),
        { numRuns: 1000 },
      );
    }
  });

  test('LegacyBytesWriter writes what buildLegacyLine does, UTF-8, for any kept line, plain or not', async () => {
    for (const newFormat of [false, true]) {
      const ctx = await context(newFormat);
      const fields = new CsvLineFields();
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (texts) => {
          const kept = texts.filter(
            (t) => rowProblem(fields.read(t, FORWARD_FIELDS, true), fields.unterminated, ctx) === null,
          );
          const writer = new LegacyBytesWriter(ctx);
          for (const t of kept) {
            const buf = Buffer.from(`x${t}y`, 'utf8');
            writer.line(buf, 1, buf.length - 1);
          }
          const expected = kept
            .map((t) => `${buildLegacyLine(fields.read(t, FORWARD_FIELDS), ctx)}\n`)
            .join('');
          expect(writer.take().toString('utf8')).toBe(expected);
        }),
        { numRuns: 500 },
      );
    }
  });

  test('a TYPE named like an Object property is no transaction type (and no crash)', async () => {
    const ctx = await context(false);
    const writer = new LegacyBytesWriter(ctx);
    const buf = Buffer.from(rd5000Line({ TYPE: 'constructor' }));
    writer.line(buf, 0, buf.length);
    expect(writer.take().toString().split(',')[21]).toBe('');
  });
});
