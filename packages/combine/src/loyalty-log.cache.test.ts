import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readFileChunks } from './file-chunks.reader.js';
import { buildLoyaltyLookup, loyaltyLineReader } from './group-lookups.builder.js';
import { LoyaltyLogCache, plainEntry, reusableLength } from './loyalty-log.cache.js';

const LOG = [
  'STORE,PHONE,TRANSNO,ORNO,POS,BRANCH',
  'TEMP,09211959169,"=""00019702""","=""00019910""",1,BMC',
  'TEMP,09211959160,"=""00019703""","=""00019910""",1,BMC',
  'TEMP,9211959169,"=""00019704""","=""00019911""",1,BMC',
  'TEMP,09211959161,"=""00019704""","=""00019911""",1,BMC',
  'TEMP,09171234567,x,00019913',
].join('\n');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** What each key looks up to, the way the rows ask. */
function answers(table: ReadonlyMap<string, string>, keys: Iterable<string>): (string | undefined)[] {
  return [...keys].map((k) => table.get(k));
}

describe('LoyaltyLogCache', () => {
  test('the same answers as the filtered lookup, first sight, second (whole log read) and later', async () => {
    const cache = new LoyaltyLogCache();
    const keys = new Set(['00019910', '00019911', '00019912', '00019913', 'ORNO']);
    const want = answers(await buildLoyaltyLookup([LOG], keys), keys);
    for (let seen = 0; seen < 4; seen++) {
      const chunks = seen % 2 === 0 ? [utf8(LOG)] : [LOG.slice(0, 30), LOG.slice(30)];
      expect(answers(await cache.lookup(chunks, keys), keys), `sight ${seen + 1}`).toEqual(want);
    }
    // Without keys (too many to filter on), the whole table.
    expect([...(await cache.lookup([LOG]))]).toEqual([...(await buildLoyaltyLookup([LOG]))]);
  });

  test('logs read from files (their buffers handed over, kept without a copy): grown, changed, the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loyalty-cache-'));
    try {
      const logs = [
        LOG,
        `${LOG}\nTEMP,09179999999,x,00019914`,
        LOG.replace('09211959169', '09211959168'),
        LOG.replace('09211959169', '09211959168'),
      ];
      const keys = new Set(['00019910', '00019911', '00019913', '00019914']);
      const cache = new LoyaltyLogCache();
      for (const [i, log] of logs.entries()) {
        const path = join(dir, `log${i}.csv`);
        await writeFile(path, log);
        const want = answers(await buildLoyaltyLookup([log], keys), keys);
        expect(
          answers(await cache.lookup(readFileChunks(path, 16), keys, 'BMC_1'), keys),
          `log ${i}`,
        ).toEqual(want);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('logs of the same size but other bytes are told apart', async () => {
    const cache = new LoyaltyLogCache();
    const other = LOG.replace('09211959169', '09211959168');
    expect(other.length).toBe(LOG.length);
    const keys = new Set(['00019910']);
    for (let i = 0; i < 3; i++) {
      expect((await cache.lookup([LOG], keys)).get('00019910')).toBe('09211959169');
      expect((await cache.lookup([other], keys)).get('00019910')).toBe('09211959168');
    }
  });

  test('past its byte budget the least recently used log is forgotten; answers stay right', async () => {
    const cache = new LoyaltyLogCache({ maxTotalBytes: LOG.length * 2 });
    const logs = ['1', '2', '3'].map((d) => LOG.replace('09211959169', `0921195916${d}`));
    const keys = new Set(['00019910', '00019911', '00019913']);
    for (let round = 0; round < 3; round++) {
      for (const [i, log] of logs.entries()) {
        const want = answers(await buildLoyaltyLookup([log], keys), keys);
        expect(answers(await cache.lookup([log], keys, `slot${i}`), keys)).toEqual(want);
        expect(answers(await cache.lookup([log], keys), keys)).toEqual(want);
      }
    }
  });

  test('a log larger than maxLogBytes is read the usual way, all of it', async () => {
    const cache = new LoyaltyLogCache({ maxLogBytes: 50 });
    const keys = new Set(['00019911', '00019913']);
    const chunks = function* () {
      for (let i = 0; i < LOG.length; i += 20) yield utf8(LOG.slice(i, i + 20));
    };
    for (let i = 0; i < 2; i++) {
      expect([...(await cache.lookup(chunks(), keys))]).toEqual([
        ['00019911', '09211959161'],
        ['00019913', '09171234567'],
      ]);
    }
  });

  /** Every log in turn under one slot: each answer must be the whole-scan one. */
  async function expectSameAsWholeScans(logs: string[], keys: Set<string>): Promise<LoyaltyLogCache> {
    const cache = new LoyaltyLogCache();
    for (const [i, log] of logs.entries()) {
      const want = answers(await buildLoyaltyLookup([utf8(log)], keys), keys);
      expect(answers(await cache.lookup([utf8(log)], keys, 'BMC_1'), keys), `log ${i}`).toEqual(want);
      expect([...(await cache.lookup([utf8(log)], undefined, 'BMC_1'))].sort(), `log ${i}, no keys`).toEqual(
        [...(await buildLoyaltyLookup([utf8(log)]))].sort(),
      );
    }
    return cache;
  }

  test('a log that grows: only the new lines are read, the prefix keeps its first phones', async () => {
    const day2 = `${LOG}\nTEMP,09170000001,x,"=""00019912"""\nTEMP,09170000002,x,"=""00019910"""\n`;
    const day3 = `${day2}TEMP,09170000003,x,"=""00019912"""\nTEMP,09170000004,x,"=""00019914"""\n`;
    const keys = new Set(['00019910', '00019911', '00019912', '00019913', '00019914']);
    const cache = await expectSameAsWholeScans([LOG, LOG, day2, day3, day3], keys);
    expect((await cache.lookup([day3], keys, 'BMC_1')).get('00019912')).toBe('09170000001');
    expect(cache.stats.reusedBytes).toBeGreaterThan(cache.stats.scannedBytes / 2);
  });

  test('a log whose last line was unfinished: the line is read again whole', async () => {
    // day1 ends without a newline, in the middle of what is a longer ORNO the next day.
    const day1 = `${LOG}\nTEMP,09171111111,x,"=""0001`;
    const day2 = `${LOG}\nTEMP,09171111111,x,"=""00019915"""\r\n`;
    await expectSameAsWholeScans([day1, day1, day2, day1], new Set(['00019915', '0001"', '00019913']));
    expect(reusableLength(Buffer.from(day1), Buffer.from(day2))).toBe(LOG.length + 1);
  });

  test('a log that differs early, or is shorter, or empty, is read from where its lines differ', async () => {
    const changed = LOG.replace('09211959169', '09211959999');
    const keys = new Set(['00019910', '00019911', '00019913']);
    await expectSameAsWholeScans([LOG, LOG, changed, LOG.slice(0, 100), '', LOG, LOG.slice(0, 3), LOG], keys);
    expect(reusableLength(Buffer.from(LOG), Buffer.from(changed))).toBe(LOG.indexOf('\n') + 1);
    expect(reusableLength(Buffer.from(LOG), Buffer.from(''))).toBe(0);
  });

  test('BOM and CRLF: the leading BOM is dropped once, a CR before LF ignored, as the whole scan does', async () => {
    const crlf = `\uFEFF${LOG.replaceAll('\n', '\r\n')}\r\n`;
    const grown = `${crlf}TEMP,09172222222,x,"=""00019916"""\r\n`;
    const noBom = grown.slice(1);
    const bomFirstKey = `\uFEFFTEMP,09173333333,x,"=""00019917"""\n${LOG}`;
    const keys = new Set(['00019910', '00019913', '00019916', '00019917', 'ORNO']);
    await expectSameAsWholeScans([crlf, crlf, grown, noBom, grown, bomFirstKey, bomFirstKey], keys);
  });

  test('property: any sequence of logs of one slot (grown, cut, changed) gives the whole-scan answers', async () => {
    const line = fc
      .record({
        phone: fc.constantFrom('09171234567', '0917123456', '09170000000', ''),
        orno: fc.constantFrom('00019910', '00019911', '00019912', '', 'é1'),
        wrap: fc.boolean(),
        crlf: fc.boolean(),
      })
      .map(
        ({ phone, orno, wrap, crlf }) =>
          `T,${phone},x,${wrap ? `"=""${orno}"""` : orno},1,BMC${crlf ? '\r' : ''}\n`,
      );
    const step = fc.oneof(
      fc.record({ grow: fc.array(line, { maxLength: 4 }) }),
      fc.record({ cut: fc.nat() }),
      fc.record({ change: fc.nat(), to: line }),
    );
    const keys = new Set(['00019910', '00019911', '00019912', 'é1', '']);
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 6 }),
        fc.array(step, { maxLength: 8 }),
        async (start, steps) => {
          let log = start.join('');
          const logs: string[] = [log];
          for (const s of steps) {
            if ('grow' in s) log += s.grow.join('');
            else if ('cut' in s) log = log.slice(0, s.cut % (log.length + 1));
            else {
              const lines = log.split(/(?<=\n)/);
              if (log !== '') lines[s.change % lines.length] = s.to;
              log = lines.join('');
            }
            logs.push(log);
          }
          const cache = new LoyaltyLogCache();
          for (const l of logs) {
            const want = answers(await buildLoyaltyLookup([utf8(l)], keys), keys);
            expect(answers(await cache.lookup([utf8(l)], keys, 's'), keys)).toEqual(want);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('plainEntry', () => {
  const reader = loyaltyLineReader();
  /** The CSV parser's answer in plainEntry's terms: [ORNO, phone], or null when the line sets nothing. */
  const slow = (line: string): [string, string] | null => {
    const e = reader(line);
    return e === null || e[0] === '' ? null : e;
  };
  const fast = (line: string): [string, string] | null | undefined => {
    const e = plainEntry(Buffer.from(line, 'utf8'), 0, Buffer.byteLength(line));
    return e === undefined ? undefined : e[0] === '' ? null : e;
  };

  test('the usual shapes are read on bytes, with the parser’s answer', () => {
    for (const line of [
      'STORE,PHONE,TRANSNO,ORNO,POS,BRANCH',
      'TEMP,09211959169,"=""00019702""","=""00019910""",1,BMC',
      'TEMP,09211959169,,,1,BMC',
      'TEMP,09211959169,x,00019913',
      'TEMP,9211959169,"=""00019704""","=""00019911""",1,BMC',
      'TEMP,09211959169,"a,""b""",X1',
      'TEMP,09211959169',
      '',
    ]) {
      expect(fast(line), line).not.toBeUndefined();
      expect(fast(line), line).toEqual(slow(line));
    }
  });

  test('text after a closing quote, quotes inside unquoted values: left to the parser', () => {
    for (const line of [
      'TEMP,09211959169,x,"=""1"""y',
      'TEMP,09211959169,"x"y,1',
      'TEMP,09211959169,x,"=""1""',
      'TEMP,"09211959169",x,1',
      'TEMP,0921195916é,x,1',
      'TE"MP,09211959169,x,1',
    ]) {
      expect(fast(line), line).toBeUndefined();
      expect(slow(line), line).not.toBeUndefined();
    }
  });

  test('property: on any line it answers as the parser does, or leaves the line to it', () => {
    const piece = fc.constantFrom(
      ',',
      '"',
      '""',
      '=',
      '="',
      '"=""',
      '"""',
      '0917123456',
      '7',
      'é',
      '\r',
      'x',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const line = pieces.join('');
        const got = fast(line);
        if (got !== undefined) expect(got).toEqual(slow(line));
      }),
      { numRuns: 5000 },
    );
  });
});
