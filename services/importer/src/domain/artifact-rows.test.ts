import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { PermanentError } from '@posflow/runtime';
import { generateRows } from '../testing/parsed-rows.generator.js';
import { artifactRows, InvalidArtifactError } from './artifact-rows.js';

const key = { branch: 'BMC', pos: 1, date: '2026-02-09' };

/** A gzip stream delivered in small chunks, so lines and UTF-8 characters straddle chunk boundaries. */
function chunked(text: string, size = 7): Readable {
  const gz = gzipSync(Buffer.from(text));
  const parts: Buffer[] = [];
  for (let i = 0; i < gz.length; i += size) parts.push(gz.subarray(i, i + size));
  return Readable.from(parts);
}

async function collect(source: Readable) {
  const out = [];
  for await (const r of artifactRows(source)) out.push(r);
  return out;
}

describe('artifact reader', () => {
  test('streams and validates every row, across chunk boundaries', async () => {
    const rows = [...generateRows(key, { rows: 50, seed: 3 })].map((r, i) =>
      i === 7 ? { ...r, productName: 'ÑAME “QUOTED”', legacy: r.legacy + ',ñ' } : r,
    );
    const got = await collect(chunked(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    expect(got.map((g) => g.row)).toEqual(rows);
    expect(got.at(-1)?.n).toBe(50);
  });

  test('an invalid row is a permanent error naming its line', async () => {
    const rows = [...generateRows(key, { rows: 5, seed: 4 })].map((r) => JSON.stringify(r));
    rows[2] = JSON.stringify({ ...JSON.parse(rows[2] ?? '{}'), amountE4: 1.5 });
    const err = await collect(chunked(rows.join('\n') + '\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArtifactError);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/artifact line 3 .*amountE4/);
  });

  test('a line that is not JSON and a corrupt gzip are permanent errors', async () => {
    const ok = JSON.stringify([...generateRows(key, { rows: 1, seed: 5 })][0]);
    await expect(collect(chunked(`${ok}\n{oops\n`))).rejects.toThrow(/artifact line 2 is not JSON/);
    const gz = gzipSync(Buffer.from(`${ok}\n`.repeat(100)));
    await expect(collect(Readable.from([gz.subarray(0, gz.length - 20)]))).rejects.toBeInstanceOf(
      PermanentError,
    );
  });
});
