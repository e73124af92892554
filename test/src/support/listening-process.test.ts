import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { pidsListeningOn, programOf } from './listening-process.js';

describe('pidsListeningOn', () => {
  test('finds exactly the process listening on a port, and nothing on a closed one', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    try {
      expect(pidsListeningOn(port)).toEqual([process.pid]);
      expect(programOf(process.pid)).toBe(process.argv[0]);
    } finally {
      await new Promise((r) => srv.close(r));
    }
    expect(pidsListeningOn(port)).toEqual([]);
  });
});
