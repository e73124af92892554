import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeLine, readByteLines } from './byte-lines.reader.js';
import { readLineBatches, type ByteSource } from './line.reader.js';

async function byteLines(source: ByteSource): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const b of readByteLines(source)) {
    for (let k = 0; k < b.count; k++) {
      expect(b.ends[k]).toBeLessThanOrEqual(b.used);
      out.push([b.firstLine + k, decodeLine(b.buf, b.starts[k] as number, b.ends[k] as number)]);
    }
  }
  return out;
}

async function textLines(source: ByteSource): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const b of readLineBatches(source)) b.lines.forEach((l, i) => out.push([b.firstLine + i, l]));
  return out;
}

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('readByteLines', () => {
  test('the lines of readLineBatches: numbers, CRLF, a last line without newline', async () => {
    expect(await byteLines(['a,b\r\nc', ',d\n', '\ne'])).toEqual([
      [1, 'a,b'],
      [2, 'c,d'],
      [3, ''],
      [4, 'e'],
    ]);
  });

  test('a leading BOM is dropped, also split over chunks; one further in is text', async () => {
    expect(await byteLines([bytes(0xef), bytes(0xbb), bytes(0xbf), utf8('x\n\uFEFFy\n')])).toEqual([
      [1, 'x'],
      [2, '\uFEFFy'],
    ]);
  });

  test('a file that is only a BOM has no line; a BOM and a CR has one empty line', async () => {
    expect(await byteLines([bytes(0xef, 0xbb, 0xbf)])).toEqual([]);
    expect(await byteLines([bytes(0xef, 0xbb, 0xbf, 0x0d)])).toEqual([[1, '']]);
  });

  test('a cut BOM or a cut character is U+FFFD, as the decoder gives it', async () => {
    expect(await byteLines([bytes(0xef, 0xbb)])).toEqual([[1, '\uFFFD']]);
    expect(await byteLines([bytes(0xef, 0xbb, 0x0a, 0x41)])).toEqual([
      [1, '\uFFFD'],
      [2, 'A'],
    ]);
  });

  test('property: the same lines as readLineBatches for any bytes in any chunks', async () => {
    const piece = fc.oneof(
      fc.constantFrom('\n', '\r\n', '\r', ',', '"', 'Ñ', '€', '\uFEFF', 'STORE_NUM,', 'a'),
      fc.string({ maxLength: 5 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.boolean(),
        fc.option(fc.nat()),
        fc.integer({ min: 1, max: 17 }),
        async (pieces, bom, cut, size) => {
          let all = utf8((bom ? '\uFEFF' : '') + pieces.join(''));
          if (cut !== null) all = all.slice(0, cut % (all.length + 1));
          const chunks = Array.from({ length: Math.ceil(all.length / size) }, (_, i) =>
            all.slice(i * size, (i + 1) * size),
          );
          expect(await byteLines(chunks)).toEqual(await textLines(chunks));
        },
      ),
      { numRuns: 500 },
    );
  });
});
