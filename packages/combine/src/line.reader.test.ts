import { describe, expect, test } from 'vitest';
import { countDataRows, readLineBatches, type ByteSource } from './line.reader.js';

async function lines(source: ByteSource): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const b of readLineBatches(source)) b.lines.forEach((l, i) => out.push([b.firstLine + i, l]));
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('readLineBatches', () => {
  test('numbers lines from 1 across chunks; the empty text after a final newline is not a line', async () => {
    expect(await lines(['a,b\nc', ',d\n', 'e\n'])).toEqual([
      [1, 'a,b'],
      [2, 'c,d'],
      [3, 'e'],
    ]);
  });

  test('a last line without newline is still a line; blank lines inside count', async () => {
    expect(await lines(['x\n\ny'])).toEqual([
      [1, 'x'],
      [2, ''],
      [3, 'y'],
    ]);
  });

  test('CRLF endings lose their CR, also when CR and LF arrive in different chunks', async () => {
    expect(await lines([utf8('a\r'), utf8('\nb\r\n')])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  test('a UTF-8 BOM is dropped from bytes and from text', async () => {
    expect(await lines([new Uint8Array([0xef, 0xbb, 0xbf]), utf8('STORE,PHONE\n')])).toEqual([
      [1, 'STORE,PHONE'],
    ]);
    expect(await lines(['\uFEFFSTORE,PHONE\n'])).toEqual([[1, 'STORE,PHONE']]);
  });

  test('only the leading BOM: one further in is text, also after ASCII chunks; a file of just a BOM has no line', async () => {
    expect(await lines([utf8('a\n'), utf8('\uFEFFb\n')])).toEqual([
      [1, 'a'],
      [2, '\uFEFFb'],
    ]);
    expect(await lines([utf8('\uFEFF\uFEFFa\n')])).toEqual([[1, '\uFEFFa']]);
    expect(await lines([new Uint8Array([0xef, 0xbb, 0xbf])])).toEqual([]);
  });

  test('a multi-byte character split between chunks decodes whole', async () => {
    const bytes = utf8('2REP24,LIEZLIÑIGO599\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of Ñ
    expect(await lines([bytes.slice(0, cut), bytes.slice(cut)])).toEqual([[1, '2REP24,LIEZLIÑIGO599']]);
  });

  test('ASCII chunks (read as latin1), then a character split between chunks, then ASCII again: the same text', async () => {
    const text = 'A,B\nC,D\n2REP24,LIEZLIÑIGO599\nE,F\n';
    const bytes = utf8(text);
    const cut = bytes.indexOf(0xc3) + 1;
    const chunks = [bytes.slice(0, 4), bytes.slice(4, cut), bytes.slice(cut, cut + 3), bytes.slice(cut + 3)];
    expect((await lines(chunks)).map(([, l]) => l)).toEqual(text.split('\n').slice(0, -1));
    // Uint8Arrays that are not Buffers, ASCII only.
    expect(await lines([new Uint8Array(utf8('x,y\nz'))])).toEqual([
      [1, 'x,y'],
      [2, 'z'],
    ]);
  });

  test('invalid UTF-8 becomes U+FFFD instead of failing the file', async () => {
    expect(await lines([new Uint8Array([0x41, 0xff, 0x0a])])).toEqual([[1, 'A\uFFFD']]);
  });
});

describe('countDataRows', () => {
  test('lines after the header, with or without a final newline', async () => {
    expect(await countDataRows([utf8('H\n1\n2\n')])).toBe(2);
    expect(await countDataRows([utf8('H\n1\n2')])).toBe(2);
    expect(await countDataRows([utf8('H\n')])).toBe(0);
    expect(await countDataRows([])).toBe(0);
    expect(await countDataRows(['H\r\n1\r\n'])).toBe(1);
  });
});
