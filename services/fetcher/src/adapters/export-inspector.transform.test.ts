import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from 'vitest';
import type { FileType } from '@posflow/contracts';
import { UpstreamError } from '../domain/upstream-error.js';
import { ExportInspector } from './export-inspector.transform.js';

const HEADER = 'STORE,PHONE,TRANSNO,ORNO,POS,BRANCH';

async function run(type: FileType, chunks: string[], expectedBytes?: number) {
  const inspector = new ExportInspector(type, expectedBytes);
  const out: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) });
  await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), inspector, sink);
  return { inspector, body: Buffer.concat(out).toString() };
}

describe('ExportInspector', () => {
  test('passes bytes through unchanged and counts non-blank data rows across chunk borders', async () => {
    const chunks = [
      `\uFEFF${HEADER.slice(0, 10)}`,
      `${HEADER.slice(10)}\r\n1,0917`,
      ',2,3,1,BMC\r\n\r\n2,0918,3,4,1,BMC',
      '\n\n',
    ];
    const { inspector, body } = await run('blpr', chunks);
    expect(body).toBe(chunks.join(''));
    expect(inspector.dataRows).toBe(2);
    expect(inspector.bytes).toBe(Buffer.byteLength(chunks.join('')));
  });

  test('counts a last line without a newline; a header-only file has no rows', async () => {
    expect((await run('blpr', [`${HEADER}\n1,2,3,4,5,6`])).inspector.dataRows).toBe(1);
    expect((await run('blpr', [HEADER])).inspector.dataRows).toBe(0);
  });

  test('rejects an HTML page served as a file, before passing anything on', async () => {
    const err = await run('rd5000', ['<!DOCTYPE html>\n<html><body>error</body></html>']).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ error: 'html' });
  });

  test('rejects a body whose header is not its type’s', async () => {
    const err = await run('rd5500', [`${HEADER}\n`]).catch((e: unknown) => e);
    expect(err).toMatchObject({ error: 'invalid-header' });
  });

  test('a body shorter than its Content-Length is truncated', async () => {
    const body = `${HEADER}\n1,2,3,4,5,6\n`;
    await expect(run('blpr', [body], Buffer.byteLength(body))).resolves.toBeDefined();
    const err = await run('blpr', [body], Buffer.byteLength(body) + 10).catch((e: unknown) => e);
    expect(err).toMatchObject({ error: 'truncated' });
  });
});
