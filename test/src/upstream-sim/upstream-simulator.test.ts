import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { writeDataset, type DatasetSummary } from '@posflow/synth';
import { TEXT_ERROR } from './error-pages.js';
import { startUpstreamSimulator, type UpstreamSimulator } from './upstream-simulator.js';

const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/pos-exports', import.meta.url));
const HAVE_FIXTURES = existsSync(FIXTURES);
if (!HAVE_FIXTURES) console.warn(`[upstream-sim tests] ${FIXTURES} not found: fixture protocol tests are skipped`);

const browser = {
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36',
  referer: 'https://example.test/biggsinc_loyalty/',
  origin: 'https://example.test',
};

async function list(sim: UpstreamSimulator, branch: string, pos: number, date: string, headers: Record<string, string> = browser): Promise<Response> {
  return fetch(`${sim.url}fetch_list2.php`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ branch, pos: String(pos), date }).toString(),
  });
}

const entries = (body: string): string[] => body.split(',').filter((s) => s !== '');

describe('upstream simulator over generated files', () => {
  let dir: string;
  let data: DatasetSummary;
  let sim: UpstreamSimulator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upstream-sim-test-'));
    data = await writeDataset({ outDir: dir, branches: 3, pos: [1, 2], from: '2026-02-08', to: '2026-02-09', seed: 5, scale: { orders: 0.1, loyalty: 0.01 } });
    sim = await startUpstreamSimulator({ dir });
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sim.setFaults([]);
    sim.resetStats();
  });

  test('url ends with the default base path', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/biggsinc_loyalty\/controller\/$/);
  });

  test('list answers every partition with its paths (directory part included), sometimes with a trailing comma', async () => {
    let trailing = 0;
    for (const p of data.partitions) {
      const res = await list(sim, p.branch, p.pos, p.date);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const body = await res.text();
      if (body.endsWith(',')) trailing++;
      expect(entries(body).sort()).toEqual([...p.files].sort());
    }
    expect(trailing).toBeGreaterThan(0);
    expect(trailing).toBeLessThan(data.partitions.length);
  });

  test('list of a partition with nothing sent is an empty body', async () => {
    const res = await list(sim, 'NOPE', 1, '2026-02-09');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  test('download serves the exact bytes', async () => {
    const p = data.partitions[0];
    for (const f of p?.files ?? []) {
      const res = await fetch(`${sim.url}${f}`, { headers: browser });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(join(dir, f)))).toBe(true);
    }
  });

  test('missing file is a 404 page; path traversal is refused', async () => {
    expect((await fetch(`${sim.url}uploads/a_X_1_rd5000_2026-01-01_20-00_.csv`)).status).toBe(404);
    expect((await fetch(`${sim.url}..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  test('records requests, counts per path and form fields', async () => {
    const p = data.partitions[1];
    await (await list(sim, p?.branch ?? '', p?.pos ?? 1, p?.date ?? '')).text();
    const f = p?.files[0] ?? '';
    await (await fetch(`${sim.url}${f}`, { headers: browser })).arrayBuffer();
    await (await fetch(`${sim.url}${f}`, { headers: browser })).arrayBuffer();
    // A request is recorded when the server's response finishes, which can come just after the client has read the body.
    for (let i = 0; i < 100 && sim.stats(false).downloadRequests < 2; i++) await new Promise((r) => setTimeout(r, 10));
    const s = sim.stats();
    expect(s.listRequests).toBe(1);
    expect(s.downloadRequests).toBe(2);
    expect(s.countsByPath[`/biggsinc_loyalty/controller/${f}`]).toBe(2);
    expect(s.requests[0]?.form).toEqual({ branch: p?.branch, pos: String(p?.pos), date: p?.date });
    expect(s.requests[0]?.headers.userAgent).toBe(browser['user-agent']);
    expect(s.requests[1]?.bytes).toBe((await readFile(join(dir, f))).length);
    expect(s.requests.every((r) => r.outcome === 'complete' && r.status === 200)).toBe(true);
  });

  describe('fault injection', () => {
    const someFile = (): string => data.partitions[0]?.files.find((f) => f.includes('_rd5000_')) ?? '';

    test('HTML error page with status 200 on list', async () => {
      sim.setFaults([{ kind: 'html-error', match: { target: 'list' } }]);
      const res = await list(sim, 'TBCO', 1, '2026-02-09');
      expect(res.status).toBe(200);
      expect((await res.text()).toLowerCase()).toContain('<!doctype html>');
    });

    test('plain-text error on download', async () => {
      sim.setFaults([{ kind: 'text-error', match: { target: 'download' } }]);
      const res = await fetch(`${sim.url}${someFile()}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(TEXT_ERROR);
    });

    test('5xx', async () => {
      sim.setFaults([{ kind: 'status', status: 502 }]);
      expect((await list(sim, 'TBCO', 1, '2026-02-09')).status).toBe(502);
    });

    test('latency is applied and recorded', async () => {
      sim.setFaults([{ id: 'slow-list', kind: 'latency', ms: 50, match: { target: 'list' } }]);
      expect((await list(sim, 'TBCO', 1, '2026-02-09')).status).toBe(200);
      expect(sim.stats().requests[0]?.faults).toEqual(['slow-list']);
    });

    test('connection reset before any byte and mid-download', async () => {
      sim.setFaults([{ kind: 'reset', afterBytes: 0, match: { target: 'list' } }, { kind: 'reset', afterBytes: 1000, match: { target: 'download' } }]);
      await expect(list(sim, 'TBCO', 1, '2026-02-09')).rejects.toThrow();
      const res = await fetch(`${sim.url}${someFile()}`);
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
      expect(sim.stats().requests.every((r) => r.outcome === 'aborted')).toBe(true);
    });

    test('truncated body with correct-looking headers', async () => {
      sim.setFaults([{ kind: 'truncate', fraction: 0.5 }]);
      const size = (await readFile(join(dir, someFile()))).length;
      const res = await fetch(`${sim.url}${someFile()}`);
      expect(res.headers.get('content-length')).toBe(String(size));
      await expect(res.arrayBuffer()).rejects.toThrow();
      expect(sim.stats().requests[0]?.bytes).toBe(Math.floor(size / 2));
    });

    test('slow drip still delivers the whole file', async () => {
      const small = data.partitions[0]?.files.find((f) => f.includes('_rd5900_')) ?? '';
      sim.setFaults([{ id: 'drip', kind: 'slow', bytesPerSecond: 20_000 }]);
      const body = Buffer.from(await (await fetch(`${sim.url}${small}`)).arrayBuffer());
      expect(body.equals(await readFile(join(dir, small)))).toBe(true);
      expect(sim.stats().requests[0]?.faults).toEqual(['drip']);
    });

    test('a file that changes between two fetches', async () => {
      sim.setFaults([{ kind: 'mutate', mode: 'append', match: { target: 'download', path: '_rd5000_' } }]);
      const first = await (await fetch(`${sim.url}${someFile()}`)).text();
      const second = await (await fetch(`${sim.url}${someFile()}`)).text();
      expect(first).toBe(await readFile(join(dir, someFile()), 'utf8'));
      expect(second.split('\n').length).toBe(first.split('\n').length + 1);
      sim.setFaults([{ kind: 'mutate', mode: 'alter' }]);
      const third = await (await fetch(`${sim.url}${someFile()}`)).text();
      expect(third).not.toBe(first);
      expect(third.length).toBe(first.length);
    });

    test('first N requests only, then healthy', async () => {
      sim.setFaults([{ kind: 'status', status: 503, times: 2, match: { target: 'list', branch: '^TBCO$' } }]);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await list(sim, 'TBCO', 1, '2026-02-09')).status);
      expect(statuses).toEqual([503, 503, 200]);
      expect((await list(sim, 'LGZ-CTY', 1, '2026-02-09')).status).toBe(200);
    });

    test('probabilistic faults are seeded: same rules, same sequence', async () => {
      const run = async (): Promise<number[]> => {
        sim.setFaults([{ kind: 'status', status: 500, probability: 0.5 }]);
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await list(sim, 'TBCO', 1, '2026-02-09')).status);
        return out;
      };
      const a = await run();
      expect(a).toContain(500);
      expect(a).toContain(200);
      expect(await run()).toEqual(a);
    });

    test('every request until cleared', async () => {
      sim.setFaults([{ kind: 'text-error', match: { target: 'list', date: '2026-02-09' } }]);
      expect(await (await list(sim, 'TBCO', 1, '2026-02-09')).text()).toBe(TEXT_ERROR);
      expect(await (await list(sim, 'TBCO', 1, '2026-02-08')).text()).not.toBe(TEXT_ERROR);
      expect(await (await list(sim, 'TBCO', 1, '2026-02-09')).text()).toBe(TEXT_ERROR);
      sim.setFaults([]);
      expect(await (await list(sim, 'TBCO', 1, '2026-02-09')).text()).not.toBe(TEXT_ERROR);
    });
  });

  test('peak concurrent requests', async () => {
    sim.setFaults([{ kind: 'latency', ms: 300, match: { target: 'list' } }]);
    await Promise.all(Array.from({ length: 5 }, async () => (await list(sim, 'TBCO', 1, '2026-02-09')).text()));
    const s = sim.stats(false);
    expect(s.peakInFlight).toBe(5);
    expect(s.inFlight).toBe(0);
  });

  test('admin endpoints: faults, stats, reset', async () => {
    const set = await fetch(`${sim.origin}/__admin/faults`, { method: 'POST', body: JSON.stringify({ faults: [{ kind: 'status', status: 503, match: { target: 'list' } }] }) });
    expect(set.status).toBe(200);
    expect((await list(sim, 'TBCO', 1, '2026-02-09')).status).toBe(503);
    const stats = (await (await fetch(`${sim.origin}/__admin/stats`)).json()) as { listRequests: number; requests: unknown[] };
    expect(stats.listRequests).toBe(1);
    expect(stats.requests).toHaveLength(1);
    expect((await fetch(`${sim.origin}/__admin/faults`, { method: 'POST', body: '[{"kind":"nonsense"}]' })).status).toBe(400);
    expect((await fetch(`${sim.origin}/__admin/faults`, { method: 'POST', body: '[]' })).status).toBe(200);
    expect((await fetch(`${sim.origin}/__admin/reset`, { method: 'POST' })).status).toBe(200);
    const after = (await (await fetch(`${sim.origin}/__admin/stats?requests=0`)).json()) as { totalRequests: number; peakInFlight: number };
    expect(after.totalRequests).toBe(0);
    expect((await list(sim, 'TBCO', 1, '2026-02-09')).status).toBe(200);
  });
});

describe('browser-like headers', () => {
  let dir: string;
  let sim: UpstreamSimulator;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upstream-sim-hdr-'));
    await writeDataset({ outDir: dir, branches: ['TBCO'], from: '2026-02-09', to: '2026-02-09', scale: { orders: 0.05, loyalty: 0.001 }, layout: 'flat' });
    sim = await startUpstreamSimulator({ dir, requireBrowserHeaders: true, basePath: '/ctl' });
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('without them: the HTML error page (status 200); with them: the list', async () => {
    expect(sim.url).toMatch(/\/ctl\/$/);
    const bare = await list(sim, 'TBCO', 1, '2026-02-09', {});
    expect(bare.status).toBe(200);
    expect((await bare.text()).toLowerCase()).toContain('<!doctype html');
    expect(entries(await (await list(sim, 'TBCO', 1, '2026-02-09')).text())).toHaveLength(7);
  });
});

describe.skipIf(!HAVE_FIXTURES)('upstream simulator over the real fixture files', () => {
  let sim: UpstreamSimulator;
  beforeAll(async () => {
    sim = await startUpstreamSimulator({ dir: FIXTURES });
  });
  afterAll(async () => sim.close());

  test.each([
    ['BMC', '2026-02-09'],
    ['BMC', '2025-10-08'],
    ['BETA', '2026-02-09'],
    ['AYALA-FRN', '2025-10-08'],
  ])('%s %s: seven files listed and served byte for byte', async (branch, date) => {
    const names = entries(await (await list(sim, branch, 1, date)).text());
    expect(names).toHaveLength(7);
    for (const n of names) {
      expect(n).toMatch(new RegExp(`^a_${branch}_1_\\w+_${date}_\\d\\d-\\d\\d_\\.csv$`));
      const body = Buffer.from(await (await fetch(`${sim.url}${n}`)).arrayBuffer());
      expect(body.equals(await readFile(join(FIXTURES, n)))).toBe(true);
    }
  });

  test('a date with nothing sent', async () => {
    expect(await (await list(sim, 'BMC', 2, '2026-02-09')).text()).toBe('');
  });
});
