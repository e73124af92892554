import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csvFieldAt } from './csv-line.parser.js';
import { buildLoyaltyLookup, unwrapExcelText } from './group-lookups.builder.js';
import { readLineBatches, type ByteSource } from './line.reader.js';
import { scanLoyaltyLog } from './loyalty-log.scanner.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The lines the scanner hands over. */
async function scanned(source: ByteSource, keys: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  await scanLoyaltyLog(source, new Set(keys), (line) => out.push(line));
  return out;
}

/** What the scanner must never hold back: the lines whose ORNO, read the string way, is a key. */
async function matching(source: ByteSource, keys: Iterable<string>): Promise<string[]> {
  const set = new Set(keys);
  const out: string[] = [];
  for await (const { lines } of readLineBatches(source)) {
    for (const line of lines) if (set.has(unwrapExcelText(csvFieldAt(line, 3) ?? ''))) out.push(line);
  }
  return out;
}

/** The bytes cut at the given offsets. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, c));
    from = c;
  }
  return chunks;
}

describe('scanLoyaltyLog', () => {
  test('hands over only the lines whose ORNO, unwrapped, is a key: quoted `"=""…"""`, bare `="…"`, plain', async () => {
    const text = [
      'STORE,PHONE,TRANSNO,ORNO,POS,BRANCH',
      'TEMP,09211959169,"=""00019702""","=""00012074""",1,BMC',
      'TEMP,09211959169,"=""00012074""","=""00019910""",1,BMC', // the key is the TRANSNO here, not the ORNO
      'TEMP,09211959169,x,="00012075",1,BMC',
      'TEMP,09211959169,x,00012076',
      'TEMP,09211959169,x,00012077x',
      // Text after the closing quote is part of the value, which is then not wrapped: `="00012078"tail`.
      'TEMP,09211959169,x,"=""00012078"""tail,1',
      'TEMP,09211959169,x,"=""00012079"""tail,1',
    ].join('\n');
    const keys = ['00012074', '00012075', '00012076', '00012077', '="00012078"tail', '00012079tail'];
    expect(await scanned([utf8(text)], keys)).toEqual([
      'TEMP,09211959169,"=""00019702""","=""00012074""",1,BMC',
      'TEMP,09211959169,x,="00012075",1,BMC',
      'TEMP,09211959169,x,00012076',
      'TEMP,09211959169,x,"=""00012078"""tail,1',
    ]);
  });

  test('commas and escaped quotes inside quoted columns before the ORNO do not shift it', async () => {
    const text = 'S,"09,211""959",T,="1",1\nS,P,"a,""b"",c",="2"\n"S,x",P,T,3\n';
    expect(await scanned([utf8(text)], ['1', '2', '3'])).toEqual([
      'S,"09,211""959",T,="1",1',
      'S,P,"a,""b"",c",="2"',
      '"S,x",P,T,3',
    ]);
  });

  test('CRLF endings, a BOM before the first line, a last line without newline', async () => {
    const text = '\uFEFF"S",P,T,="1"\r\nS,P,T,="2"\r\nS,P,T,="3"';
    expect(await scanned([utf8(text)], ['1', '2', '3'])).toEqual([
      '"S",P,T,="1"',
      'S,P,T,="2"',
      'S,P,T,="3"',
    ]);
    // A BOM further in is text, as readLineBatches keeps it.
    expect(await scanned([utf8('S,P,T,0\n\uFEFFS,P,T,="1"\n')], ['1'])).toEqual(['\uFEFFS,P,T,="1"']);
  });

  test('lines split across chunks at every byte, CRLF and BOM included', async () => {
    const text = '\uFEFFS,P,"=""7""","=""00012074"""\r\nS,P,T,="00012075"\r\nS,Ñ,T,="00012074"\r\n';
    const bytes = utf8(text);
    const expected = await matching([bytes], ['00012074', '00012075']);
    expect(expected).toHaveLength(3);
    for (let a = 0; a <= bytes.length; a++) {
      for (const b of [a, a + 1, a + 7]) {
        expect(await scanned(chunked(bytes, [a, b]), ['00012074', '00012075']), `cut at ${a}, ${b}`).toEqual(
          expected,
        );
      }
    }
  });

  test('non-ASCII: keys and ORNOs with other characters, invalid UTF-8 read as U+FFFD', async () => {
    const bytes = Buffer.concat([
      utf8('S,P,T,="Ñ01"\nS,P,T,="N01"\nS,P,T,="'),
      Buffer.from([0xff]),
      utf8('02"\nS,P,Ñ,03\n'),
    ]);
    expect(await scanned([bytes], ['Ñ01', '\uFFFD02', '03'])).toEqual(
      expect.arrayContaining(['S,P,T,="Ñ01"', 'S,P,T,="\uFFFD02"', 'S,P,Ñ,03']),
    );
    expect(await scanned([bytes], ['Ñ01'])).not.toContain('S,P,T,="N01"');
  });

  test('an unclosed quote: before the ORNO the line has no ORNO; in it, the rest of the line is the value', async () => {
    expect(await scanned([utf8('S,"P,T,1\nS,P,"T,1')], ['1', ''])).toEqual([]);
    const open = 'S,P,T,"=""1"",4';
    expect(await matching([utf8(open)], ['="1",4'])).toEqual([open]);
    expect(await scanned([utf8(open)], ['="1",4'])).toEqual([open]);
  });

  test('an empty ORNO is never a key', async () => {
    expect(await scanned([utf8('S,P,T,,1\nS,P,T,="",1\nS,P,T,""\n')], [''])).toEqual([]);
  });

  test('strings are accepted as chunks', async () => {
    expect(await scanned(['S,P,T,="1', '2"\n'], ['12'])).toEqual(['S,P,T,="12"']);
  });

  // Lines built from the characters that matter, cut into random chunks: never a matching line held back.
  const piece = fc.constantFrom(',', '"', '""', '="', '=""', '1', '12', 'Ñ', '\r', ' ', 'x', '\uFEFF');
  const line = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
  test('property: every line whose ORNO is a key is handed over, in order, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.constantFrom('1', '12', '="1"', 'Ñ', '1"', '"'), { maxLength: 3 }),
        async (lines, crlf, cuts, keys) => {
          const bytes = utf8(lines.join(crlf ? '\r\n' : '\n'));
          const want = await matching([bytes], keys);
          const got = await scanned(chunked(bytes, cuts), keys);
          // A hash collision may let an extra line through; a matching line is never missing or reordered.
          let k = 0;
          for (const l of got) if (l === want[k]) k++;
          expect(k).toBe(want.length);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('buildLoyaltyLookup with keys', () => {
  test('the same entries as the whole log restricted to the keys', async () => {
    const blpr = [
      'STORE,PHONE,TRANSNO,ORNO,POS,BRANCH',
      'TEMP,09211959169,"=""00019702""","=""00019910""",1,BMC',
      'TEMP,09211959160,"=""00019703""","=""00019910""",1,BMC', // first wins
      'TEMP,9211959169,"=""00019704""","=""00019911""",1,BMC', // 10-character phone: no entry
      'TEMP,09211959161,"=""00019704""","=""00019911""",1,BMC',
      'TEMP,09171234567,x,00019913\r',
      'TEMP,09171234568,x,00019914',
    ].join('\n');
    const keys = new Set(['00019910', '00019911', '00019913', 'ORNO']);
    const all = await buildLoyaltyLookup([utf8(blpr)]);
    const filtered = await buildLoyaltyLookup(chunked(utf8(blpr), [40, 41, 100]), keys);
    expect([...filtered]).toEqual([...all].filter(([k]) => keys.has(k)));
    expect([...filtered]).toEqual([
      ['00019910', '09211959169'],
      ['00019911', '09211959161'],
      ['00019913', '09171234567'],
    ]);
  });
});
