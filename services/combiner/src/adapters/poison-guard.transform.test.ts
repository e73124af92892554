import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from 'vitest';
import { PoisonFileError } from '../domain/poison-file.js';
import { PoisonGuard } from './poison-guard.transform.js';

const HEADER =
  'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,ITE_CODE,QUANTITY,UNT_PRIC,AMOUNT,DISCOUNT,SCHARGE,DT,DEP_CODE,DATE,TIME\n';

async function run(chunks: Buffer[], seen: PoisonFileError[] = []): Promise<{ out: string }> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new PoisonGuard('a_BMC_1_rd5000_2026-02-09_20-00_.csv', 'rd5000', (e) => seen.push(e)),
    async (src: AsyncIterable<Buffer>) => {
      for await (const c of src) out.push(c);
    },
  );
  return { out: Buffer.concat(out).toString('utf8') };
}

describe('PoisonGuard', () => {
  test('passes a good file through unchanged, whatever the chunking', async () => {
    const text = `${HEADER}1,2026-02-09,0025,1,REP1\n2,2026-02-09,0026,1,REP2\n`;
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 60), bytes.subarray(60)];
    expect((await run(chunks)).out).toBe(text);
    expect((await run([bytes])).out).toBe(text);
  });

  test('a header-only file with no newline is fine', async () => {
    expect((await run([Buffer.from(HEADER.trim())])).out).toBe(HEADER.trim());
  });

  test('fails on an HTML page before anything reaches the reader, and reports it', async () => {
    const seen: PoisonFileError[] = [];
    const err = await run([Buffer.from('<!doctype html>\n<html>Session expired</html>\n')], seen).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PoisonFileError);
    expect((err as PoisonFileError).message).toMatch(/poison rd5000 file a_BMC_1_rd5000.*HTML page/);
    expect(seen).toEqual([err]);
  });

  test('fails on NUL bytes after a valid header', async () => {
    const err = await run([Buffer.from(HEADER), Buffer.from([0x31, 0x2c, 0x00, 0x0a])]).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/NUL bytes/);
  });

  test('fails on another export stored under the rd5000 name', async () => {
    const err = await run([Buffer.from('INCODE,ITE_DESC,ECR_DESC,DEP_CODE,UNT_PRIC\nA,B,C,D,E\n')]).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/expected rd5000 header/);
  });
});
