import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ByteKeyedMemo, hashBytes, hashText, sameBytes } from './byte-key.js';

describe('keys on their bytes', () => {
  test('hashText agrees with hashBytes of the UTF-8 bytes; sameBytes compares an ASCII key with bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const bytes = Buffer.from(`x${a}y`, 'utf8');
        expect(hashText(a)).toBe(hashBytes(bytes, 1, bytes.length - 1));
        const ascii = Buffer.from(b, 'latin1');
        if (/^\p{ASCII}*$/u.test(a) && /^\p{ASCII}*$/u.test(b))
          expect(sameBytes(a, ascii, 0, ascii.length)).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });

  test('ByteKeyedMemo answers compute(key) for any sequence of keys, computing each key once until it starts again', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('', 'D', 'T', '03', 'BRK2'), fc.stringMatching(/^[ -~]{0,5}$/)), {
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 40 }),
        (keys, maxKeys) => {
          const computed: string[] = [];
          const memo = new ByteKeyedMemo((key) => {
            computed.push(key);
            return `<${key}>`;
          }, maxKeys);
          for (const key of keys) {
            const buf = Buffer.from(`,${key},`, 'latin1');
            expect(memo.get(buf, 1, buf.length - 1)).toBe(`<${key}>`);
          }
          // Each key computed once per fill of the table (it starts again past maxKeys).
          expect(computed.length).toBeLessThanOrEqual(keys.length);
          if (new Set(keys).size <= maxKeys) expect(new Set(computed).size).toBe(computed.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
