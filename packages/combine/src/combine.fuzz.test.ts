import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { referenceFromText } from './reference-data.js';
import {
  LOOKUP_FILES,
  RD5000_COLUMNS,
  RD5000_HEADER,
  combineText,
  rd5000Line,
  type Rd5000Column,
} from './testing/group-builder.js';

// Values that hit the rules: wrapping exceptions, hours, dates, quotes, commas, non-ASCII, empties.
const value = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '00',
    '07',
    '0.5',
    '07:25',
    '7:25',
    '25:00',
    '24:00',
    '23:59',
    '0202-01-01',
    'D',
    'T',
    'C',
    'BRK2',
    '03',
    '00247627',
  ),
  fc.constantFrom(
    '2026-02-09',
    '2026-02-09 00:00:00',
    '2026-02-08',
    'DATE',
    '"',
    '""',
    '"a,b"',
    '"open',
    'Ñ',
    '\r',
    '=""x"""',
    ' ',
  ),
  fc.string({ maxLength: 6 }),
);
const mutatedRow = fc
  .dictionary(fc.constantFrom(...RD5000_COLUMNS), value, { maxKeys: 4 })
  .map((v) => rd5000Line(v as Partial<Record<Rd5000Column, string>>));
const truncatedRow = fc.tuple(mutatedRow, fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1)));
const line = fc.oneof(
  { weight: 5, arbitrary: mutatedRow },
  { weight: 2, arbitrary: truncatedRow },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

/** A file as bytes: lines, LF or CRLF, maybe a BOM, maybe cut anywhere (mid-character included), in random chunks. */
const fileBytes = (lines: fc.Arbitrary<string[]>) =>
  fc
    .record({
      lines,
      crlf: fc.boolean(),
      bom: fc.boolean(),
      cut: fc.option(fc.nat()),
      chunk: fc.integer({ min: 1, max: 97 }),
    })
    .map(({ lines, crlf, bom, cut, chunk }) => {
      let bytes = new TextEncoder().encode((bom ? '\uFEFF' : '') + lines.join(crlf ? '\r\n' : '\n'));
      if (cut !== null) bytes = bytes.slice(0, cut % (bytes.length + 1));
      return Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
        bytes.slice(i * chunk, (i + 1) * chunk),
      );
    });

const rd5000 = fileBytes(
  fc
    .tuple(fc.boolean(), fc.array(line, { maxLength: 40 }))
    .map(([header, ls]) => (header ? [RD5000_HEADER, ...ls] : ls)),
);
const lookupFile = (real: string) =>
  fc.oneof(fc.constant([real]), fileBytes(fc.array(fc.oneof(fc.constant(real), line), { maxLength: 8 })));

/** The rd5000 data lines, worked out independently of the engine's reader. */
function expectedLines(chunks: Uint8Array[]): number[] {
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = (lines[0] ?? '').startsWith('STORE_NUM,');
  return lines.map((_, i) => i + 1).filter((n) => !(header && n === 1));
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'combine-fuzz-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('combine engine under random and truncated input', () => {
  test('never crashes, and every rd5000 data line is exactly one output row or one drop entry', async () => {
    await fc.assert(
      fc.asyncProperty(
        rd5000,
        fc.record(
          {
            rd5500: lookupFile(LOOKUP_FILES.rd5500),
            rd5800: lookupFile(LOOKUP_FILES.rd5800),
            blpr: lookupFile(LOOKUP_FILES.blpr),
            rd1800: lookupFile(LOOKUP_FILES.rd1800),
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        async (rd5000Chunks, lookups, newFormat) => {
          const reference = referenceFromText({ newBranches: newFormat ? 'BMC\n' : '' });
          const out = await combineText({ reference, files: { ...lookups, rd5000: rd5000Chunks } });
          const accounted = [...out.rows.map((r) => r.line), ...out.report.dropped.map((d) => d.line)].sort(
            (a, b) => a - b,
          );
          expect(accounted).toEqual(expectedLines(rd5000Chunks));
          expect(out.report.rows + out.report.droppedCount).toBe(out.report.dataLines);
          // Legacy order: strictly decreasing line numbers; every legacy line one CSV record of 27 fields.
          expect(out.rows.every((r, i) => i === 0 || r.line < (out.rows[i - 1]?.line ?? 0))).toBe(true);
          for (const r of out.rows) {
            expect(r.legacy).not.toContain('\n');
            expect(parse(r.legacy, { relax_column_count: true })).toEqual([expect.any(Array)]);
            expect(parse(r.legacy)[0]).toHaveLength(27);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the spill path gives the same rows as the in-memory path on any input', async () => {
    await fc.assert(
      fc.asyncProperty(rd5000, fc.integer({ min: 1, max: 2_000 }), async (chunks, threshold) => {
        const files = { ...LOOKUP_FILES, rd5000: chunks };
        const inMemory = await combineText({ files });
        const spilled = await combineText({
          files,
          options: { spillThresholdChars: threshold, tmpDir: tmp },
        });
        expect(spilled.rows).toEqual(inMemory.rows);
        expect(spilled.report.dropped).toEqual(inMemory.report.dropped);
      }),
      { numRuns: 100 },
    );
    expect(await readdir(tmp)).toEqual([]);
  });
});
