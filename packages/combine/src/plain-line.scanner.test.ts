import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readByteLines } from './byte-lines.reader.js';
import { CsvLineFields } from './csv-line.parser.js';
import { isPlainBatch, scanPlainColumns, scanPlainLine } from './plain-line.scanner.js';

const piece = fc.constantFrom(',', ',,', 'A', '07', ' ', '"', '\r', 'Ñ', '\uFEFF', '2026-02-09 00:00:00');
const text = fc.array(piece, { maxLength: 25 }).map((p) => p.join(''));
const isPlain = (t: string) => !/["\r]/.test(t) && /^\p{ASCII}*$/u.test(t);

describe('plain lines on their bytes', () => {
  test('scanPlainLine: the columns CsvLineFields reads, or -1 for a quote, CR or non-ASCII byte', () => {
    const fields = new CsvLineFields();
    const starts = new Int32Array(40);
    const ends = new Int32Array(40);
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), (line, max) => {
        const buf = Buffer.from(line, 'utf8');
        const n = scanPlainLine(buf, 0, buf.length, starts, ends, max);
        if (!isPlain(line)) {
          expect(n).toBe(-1);
          return;
        }
        fields.read(line, max);
        expect(n).toBe(fields.length);
        for (let k = 0; k < max; k++)
          expect(k < n ? buf.toString('latin1', starts[k], ends[k]) : '').toBe(fields.get(k));
      }),
      { numRuns: 2000 },
    );
  });

  test('isPlainBatch says whether every line of a batch is plain; scanPlainColumns then reads them as scanPlainLine', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        async (lines, crlf, bom, max) => {
          const bytes = Buffer.from((bom ? '\uFEFF' : '') + lines.join(crlf ? '\r\n' : '\n'), 'utf8');
          const a = [new Int32Array(40), new Int32Array(40)] as const;
          const b = [new Int32Array(40), new Int32Array(40)] as const;
          for await (const batch of readByteLines([bytes])) {
            const plain = isPlainBatch(batch.buf, batch.count, batch.starts, batch.ends, batch.used);
            let all = true;
            for (let k = 0; k < batch.count; k++) {
              const s = batch.starts[k] as number;
              const e = batch.ends[k] as number;
              const n = scanPlainLine(batch.buf, s, e, a[0], a[1], max);
              if (n < 0) all = false;
              else if (plain) {
                expect(scanPlainColumns(batch.buf, s, e, b[0], b[1], max)).toBe(n);
                for (let c = 0; c < n; c++) expect([b[0][c], b[1][c]]).toEqual([a[0][c], a[1][c]]);
              }
            }
            expect(plain).toBe(all);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
