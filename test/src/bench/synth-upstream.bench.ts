// Figures for the synthetic generator and the upstream simulator: generation
// throughput, streaming a large rd5000 with flat memory, and download
// throughput through the simulator. Prints a Markdown section.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDataset, writeLargeRd5000 } from '@posflow/synth';
import { startUpstreamSimulator } from '../upstream-sim/index.js';

const mb = (n: number): string => (n / 1_048_576).toFixed(1);
const rssMb = (): string => (process.resourceUsage().maxRSS / 1024).toFixed(0);

async function main(): Promise<void> {
  const lines: string[] = ['## Synthetic exports and upstream simulator', ''];
  const dir = await mkdtemp(join(tmpdir(), 'synth-bench-'));
  try {
    let t: number;
    let s: number;
    lines.push(`| measure | value |`, `| --- | --- |`);
    // 1. Streaming a large rd5000: memory must not follow the size.
    const target = 256 * 1_048_576;
    t = performance.now();
    const big = await writeLargeRd5000(join(dir, 'big.csv'), target, { seed: 1 });
    s = (performance.now() - t) / 1000;
    lines.push(`| writeLargeRd5000 ${mb(big.bytes)} MB (${big.rows} rows) | ${mb(big.bytes / s)} MB/s |`);
    lines.push(`| peak RSS after the large file | ${rssMb()} MB |`);


    // 2. Downloads through the simulator: 4 concurrent clients, the large file each.
    const sim = await startUpstreamSimulator({ dir });
    t = performance.now();
    const got = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const res = await fetch(`${sim.url}big.csv`);
        let n = 0;
        for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) n += c.length;
        return n;
      }),
    );
    s = (performance.now() - t) / 1000;
    const total = got.reduce((a, n) => a + n, 0);
    const st = sim.stats(false);
    await sim.close();
    lines.push(`| simulator download, 4 concurrent × ${mb(big.bytes)} MB | ${mb(total / s)} MB/s total (peak in flight ${st.peakInFlight}) |`);
    lines.push(`| peak RSS (server and clients in one process) | ${rssMb()} MB |`);

    // 3. A month of one branch through writeDataset (the loyalty log grows once), full scale.
    t = performance.now();
    const ds = await writeDataset({ outDir: join(dir, 'ds'), branches: ['TBCO'], from: '2026-01-01', to: '2026-01-30', seed: 1 });
    s = (performance.now() - t) / 1000;
    lines.push(`| writeDataset, full scale (${ds.groups} groups, ${mb(ds.bytes)} MB) | ${(ds.groups / s).toFixed(1)} groups/s, ${Math.round(ds.rd5000Rows / s)} rd5000 rows/s, ${mb(ds.bytes / s)} MB/s |`);
    lines.push(`| peak RSS after generation | ${rssMb()} MB |`);
    lines.push('', `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
