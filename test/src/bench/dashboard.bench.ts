// Figures for the operators' dashboard: what the browser downloads, how long
// the main screens take to draw in headless Chromium against the real gateway
// process (seeded database, 30 branches × 2 POS on the coverage grid), and
// the memory of page, browser and this process. Prints a Markdown section.
// Needs RabbitMQ, the database (pnpm stack:up or a test run's infra) and
// /usr/bin/chromium.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readVmHwm, REPO_ROOT } from '../support/processes.js';
import { openBrowser } from '../support/browser.js';
import { SEED } from '../browser/dashboard-seed.js';
import { startSeededGateway } from '../browser/seeded-gateway.js';

const RUNS = 5;
/** A busy machine can be slow; the bench measures, it does not judge. */
const WAIT_MS = 180_000;
const EXTRA_BRANCHES = 27;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Bytes and gzip bytes of the dashboard's assets (source maps excluded: not loaded by a browser). */
function assetSizes(): { label: string; raw: number; gz: number }[] {
  const pub = join(REPO_ROOT, 'services/gateway/public');
  const all = files(pub).filter((f) => !f.endsWith('.map'));
  const group = (label: string, pick: (f: string) => boolean) => {
    const chosen = all.filter(pick);
    return {
      label: `${label} (${chosen.length} files)`,
      raw: chosen.reduce((s, f) => s + statSync(f).size, 0),
      gz: chosen.reduce((s, f) => s + gzipSync(readFileSync(f)).length, 0),
    };
  };
  return [
    group('JavaScript modules', (f) => f.endsWith('.js')),
    group('CSS', (f) => f.endsWith('.css')),
    group('HTML + icon', (f) => /\.(html|svg)$/.test(f)),
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** Peak RSS of Chromium's processes below this one (browser, renderers, GPU, utility), summed. */
function chromiumPeakKb(): number {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      // stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  const stack = [...(children.get(process.pid) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    // The gateway process is a child too: count Chromium's processes only.
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8');
    } catch {
      // exited meanwhile
    }
    if (/chrom/i.test(comm)) total += readVmHwm(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function main(): Promise<void> {
  const gw = await startSeededGateway({ extraBranches: EXTRA_BRANCHES, logLevel: 'warn' });
  const browser = await openBrowser();
  const page = browser.page;
  const out: string[] = ['## Dashboard', ''];
  try {
    await page.goto(gw.url);
    await page.getByTestId('api-key-input').fill(gw.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.getByTestId('identity').waitFor();
    const cells = (SEED.branches.length + EXTRA_BRANCHES) * SEED.pos.length * 31;
    const timed = async (hash: string, ready: () => Promise<unknown>): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await page.goto(`${gw.url}/#/queues`);
        await page.getByTestId('queues-panel').waitFor();
        const t = performance.now();
        await page.goto(`${gw.url}/${hash}`);
        await ready();
        times.push(performance.now() - t);
      }
      return median(times);
    };
    const coverage = await timed(`#/coverage?month=${SEED.month}`, () =>
      page.locator(`[data-testid="coverage-cell"] >> nth=${cells - 1}`).waitFor({ timeout: WAIT_MS }),
    );
    // Sales: the first chart (KPIs and the daily line) and the whole screen, in the same runs,
    // so no run leaves reports running on the server for the next one.
    const firsts: number[] = [];
    const alls: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${gw.url}/#/queues`);
      await page.getByTestId('queues-panel').waitFor();
      const t = performance.now();
      await page.goto(`${gw.url}/#/sales?from=${SEED.loaded.from}&to=${SEED.loaded.to}`);
      await page.getByTestId('sales-day-chart').waitFor({ timeout: WAIT_MS });
      firsts.push(performance.now() - t);
      for (const g of ['hour', 'daypart', 'product', 'department', 'category', 'payment'])
        await page.getByTestId(`sales-${g}-chart`).waitFor({ timeout: WAIT_MS });
      alls.push(performance.now() - t);
    }
    const salesFirst = median(firsts);
    const sales = median(alls);
    const tx = await timed(`#/transactions?from=${SEED.loaded.from}&to=${SEED.loaded.to}`, () =>
      page.locator('[data-testid="tx-row"] >> nth=99').waitFor({ timeout: WAIT_MS }),
    );
    const heap = Number(await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0'));
    const chromiumKb = chromiumPeakKb();

    out.push(
      '`node test/dist/bench/dashboard.bench.js` (source `test/src/bench/dashboard.bench.ts`): the real gateway',
      'process on a seeded database, headless Debian Chromium via playwright-core, laptop viewport 1366×900.',
      `Times are the median of ${RUNS} navigations from another screen until the screen is drawn (API answers included).`,
      '',
      '| measure | value |',
      '| --- | --- |',
    );
    for (const a of assetSizes()) out.push(`| ${a.label} | ${kb(a.raw)} (${kb(a.gz)} gzip) |`);
    out.push(
      `| coverage grid, one month, ${SEED.branches.length + EXTRA_BRANCHES} branches × ${SEED.pos.length} POS (${cells} cells) | ${coverage.toFixed(0)} ms |`,
      `| sales screen, 14 days: KPIs and the daily line (1 report, with last year) | ${salesFirst.toFixed(0)} ms |`,
      `| sales screen, 14 days: all 7 reports drawn (1 line + 6 bar charts; three requests at a time, the daily one first) | ${sales.toFixed(0)} ms |`,
      `| transactions, first page of 100 lines | ${tx.toFixed(0)} ms |`,
      `| page JS heap after the runs | ${(heap / 1_048_576).toFixed(1)} MB |`,
      `| Chromium peak RSS, its processes' VmHWM summed (shared pages counted more than once) | ${(chromiumKb / 1024).toFixed(0)} MB |`,
      `| this process's peak RSS (driver) | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB |`,
      '',
    );
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await browser.close();
    await gw.stop();
  }
}

await main();
