import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsvLineFields, csvFieldAt, parseCsvLine } from './csv-line.parser.js';

describe('parseCsvLine', () => {
  test('plain lines split on every comma, empty fields kept', () => {
    expect(parseCsvLine('a,,b,')).toEqual({ fields: ['a', '', 'b', ''], unterminated: false });
    expect(parseCsvLine('')).toEqual({ fields: [''], unterminated: false });
  });

  test('rd5500 quoting: doubled quotes inside a quoted field', () => {
    const { fields } = parseCsvLine('REPBS5,"EXT""E BURGER","EXT""E BURGER",16,0.000,PC');
    expect(fields).toEqual(['REPBS5', 'EXT"E BURGER', 'EXT"E BURGER', '16', '0.000', 'PC']);
  });

  test('blpr quoting: an Excel text formula as a quoted field', () => {
    const { fields } = parseCsvLine('TEMP,09211959169,"=""00019702""","=""00019910""",1,BMC');
    expect(fields).toEqual(['TEMP', '09211959169', '="00019702"', '="00019910"', '1', 'BMC']);
  });

  test('a quoted field may hold commas', () => {
    expect(parseCsvLine('"GOTO W EGG,TB",Breakfast Meals').fields).toEqual([
      'GOTO W EGG,TB',
      'Breakfast Meals',
    ]);
  });

  test('lenient like Python csv: a quote inside an unquoted field is literal, text after a closing quote is kept', () => {
    // conversion.csv line 358: `EXTE SUP BURGER",EXTREME SUPREME BURGER`
    expect(parseCsvLine('EXTE SUP BURGER",EXTREME SUPREME BURGER').fields).toEqual([
      'EXTE SUP BURGER"',
      'EXTREME SUPREME BURGER',
    ]);
    expect(parseCsvLine('"abc"def,x').fields).toEqual(['abcdef', 'x']);
    // conversion.csv line 350: `"EXTE BURGER""",EXTREME BURGER`
    expect(parseCsvLine('"EXTE BURGER""",EXTREME BURGER').fields).toEqual(['EXTE BURGER"', 'EXTREME BURGER']);
  });

  test('an unclosed quote is flagged, the rest of the line is the field', () => {
    expect(parseCsvLine('a,"b,c')).toEqual({ fields: ['a', 'b,c'], unterminated: true });
  });

  test('agrees with csv-parse on any properly quoted line', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', 'Ñ', '=', '\t'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 12 }), fc.boolean(), (fields, quoteAll) => {
        const line = fields
          .map((f) => (quoteAll || /[",]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f))
          .join(',');
        const ours = parseCsvLine(line);
        expect(ours).toEqual({ fields, unterminated: false });
        expect(parse(line, { relax_column_count: true })).toEqual(line === '' ? [] : [fields]);
      }),
      { numRuns: 500 },
    );
  });

  test('maxFields stops after the first fields, quoted or not', () => {
    expect(parseCsvLine('a,b,c,d', 2).fields).toEqual(['a', 'b']);
    expect(parseCsvLine('TEMP,09211959169,"=""00019702""","=""00019910""",1,BMC', 4).fields).toEqual([
      'TEMP',
      '09211959169',
      '="00019702"',
      '="00019910"',
    ]);
    expect(parseCsvLine('a', 4).fields).toEqual(['a']);
  });

  test('csvFieldAt reads one field exactly as parseCsvLine would, on any line', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '0', ',', '"', '=', ' '), maxLength: 30 });
    fc.assert(
      fc.property(line, fc.nat(6), (l, k) => {
        expect(csvFieldAt(l, k)).toBe(parseCsvLine(l).fields[k]);
      }),
      { numRuns: 2000 },
    );
    expect(csvFieldAt('TEMP,09211959169,"=""00019702""","=""00019910""",1,BMC', 3)).toBe('="00019910"');
  });
});

describe('CsvLineFields', () => {
  const cut = (fields: CsvLineFields): string[] =>
    Array.from({ length: fields.length }, (_, i) => fields.get(i));

  test('the same columns as parseCsvLine, cut on demand; past the last one is empty', () => {
    const fields = new CsvLineFields();
    expect(cut(fields.read('a,,b,'))).toEqual(['a', '', 'b', '']);
    expect(cut(fields.read('a,b,c,d', 2))).toEqual(['a', 'b']);
    expect(fields.get(2)).toBe('');
    expect(cut(fields.read(''))).toEqual(['']);
    expect(cut(fields.read('x,"a,""b""",c'))).toEqual(['x', 'a,"b"', 'c']);
    const long = Array.from({ length: 150 }, (_, i) => String(i)).join(',');
    expect(cut(fields.read(long))).toEqual(long.split(','));
  });

  test('wholeIfQuoted: a quoted line is read to its end, so an unclosed quote past maxFields is seen', () => {
    const fields = new CsvLineFields();
    expect(fields.read('a,b,"open', 2).unterminated).toBe(false);
    expect(fields.read('a,b,"open', 2, true).unterminated).toBe(true);
    expect(fields.read('a,b,c', 2, true).length).toBe(2);
  });

  test('property: equal to parseCsvLine for any line and maxFields, one instance reused', () => {
    const fields = new CsvLineFields();
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(',', '"', '""', 'a', 'Ñ', ' ', '\r'), { maxLength: 20 })
          .map((p) => p.join('')),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        (line, max) => {
          const want = parseCsvLine(line, max);
          fields.read(line, max);
          expect(cut(fields)).toEqual(want.fields);
          expect(fields.unterminated).toBe(want.unterminated);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
