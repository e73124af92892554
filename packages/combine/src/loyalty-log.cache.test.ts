import { describe, expect, test } from 'vitest';
import { buildLoyaltyLookup } from './group-lookups.builder.js';
import { LoyaltyLogCache } from './loyalty-log.cache.js';

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
      for (const log of logs) {
        const want = answers(await buildLoyaltyLookup([log], keys), keys);
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
});
