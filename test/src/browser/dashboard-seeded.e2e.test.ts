import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Collections, type PartitionDoc } from '@posflow/contracts';
import type { Locator, Page } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_PRESENT, PHONE, openBrowser, type Browser } from '../support/browser.js';
import { waitUntil } from '../support/processes.js';
import { SEED } from './dashboard-seed.js';
import { startSeededGateway, type SeededGateway } from './seeded-gateway.js';

// The dashboard against the real gateway process and a seeded database: every
// screen, every action an operator takes, on a laptop and a phone viewport.
// Screenshots: test-results/browser/seeded-*.png.
if (!CHROMIUM_PRESENT)
  throw new Error(`chromium not found at ${CHROMIUM_PATH}: run scripts/setup.sh (apt-get install chromium)`);

let gw: SeededGateway;
let browser: Browser;
let page: Page;

const cell = (k: { branch: string; pos: number; date: string }): Locator =>
  page.locator(
    `[data-testid="coverage-cell"][data-branch="${k.branch}"][data-pos="${k.pos}"][data-date="${k.date}"]`,
  );

async function go(hash: string): Promise<void> {
  await page.goto(`${gw.url}/${hash}`);
  await page.getByTestId('view').waitFor();
}

async function download(button: Locator): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: dl.suggestedFilename(), text: await readFile(await dl.path(), 'utf8') };
}

/** Waits for the UI to show something (the machine may be busy: a generous bound, no timing asserted). */
const until = <T>(fn: () => Promise<T> | T, message?: string) =>
  expect.poll(fn, { timeout: 30_000, interval: 100, ...(message ? { message } : {}) });

const pesos = (e4: number) =>
  (e4 / 10_000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('dashboard on seeded data', () => {
  beforeAll(async () => {
    gw = await startSeededGateway();
    browser = await openBrowser();
    page = browser.page;
    page.on('dialog', (d) => void d.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  test('asks for the API key and signs in with it', async () => {
    await page.goto(gw.url);
    await page.getByTestId('signin-form').waitFor();
    await page.getByTestId('api-key-input').fill('not-a-key-of-this-gateway');
    await page.getByTestId('api-key-submit').click();
    await until(() => page.getByTestId('signin-error').textContent()).toContain('unknown API key');
    await browser.screenshot('seeded-signin');
    await page.getByTestId('api-key-input').fill(gw.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.getByTestId('identity').waitFor();
    expect(await page.evaluate('localStorage.getItem("posflow.apiKey")')).toBe(gw.apiKey);
  });

  test('coverage grid: one cell per branch, POS and day, coloured by status', async () => {
    await go(`#/coverage?month=${SEED.month}`);
    await page.getByTestId('coverage-grid').waitFor();
    await until(() => page.getByTestId('coverage-cell').count()).toBe(
      SEED.branches.length * SEED.pos.length * 31,
    );
    expect(await cell(SEED.withFiles).getAttribute('data-status')).toBe('loaded');
    expect(await cell(SEED.failed).getAttribute('data-status')).toBe('failed');
    expect(await cell(SEED.empty).getAttribute('data-status')).toBe('empty');
    expect(await cell(SEED.stale).getAttribute('data-status')).toBe('stale');
    expect(await cell(SEED.working).getAttribute('data-status')).toBe('combining');
    expect(await cell({ branch: 'ALPHA', pos: 1, date: '2026-01-31' }).getAttribute('data-status')).toBe(
      'none',
    );
    expect(await page.getByTestId('coverage-total-failed').textContent()).toContain('1');
    await until(() => page.getByTestId('coverage-legend').textContent()).toContain('Failed');
    await browser.screenshot('seeded-coverage', { fullPage: true });
  });

  test('a coverage cell opens its files (downloadable), monitor entries and actions', async () => {
    await cell(SEED.withFiles).click();
    const drawer = page.getByTestId('cell-detail');
    await drawer.getByTestId('cell-files').waitFor();
    expect(await drawer.getByTestId('cell-detail-title').textContent()).toBe('ALPHA · POS 1');
    expect(await drawer.getByTestId('cell-status').textContent()).toBe('loaded');
    expect(await drawer.getByTestId('cell-rows').textContent()).toBe(String(SEED.linesPerPartition));
    expect(await drawer.getByTestId('cell-file').count()).toBe(2);
    expect(await drawer.getByTestId('cell-monitor').textContent()).toContain('3 rows dropped');
    const raw = await download(drawer.getByTestId('cell-file-download').first());
    expect(gw.facts.rawFileNames).toContain(raw.name);
    expect(raw.text).toMatch(/^POS,OR,/);
    const legacy = await download(drawer.getByTestId('cell-legacy-csv'));
    expect(legacy.name).toBe('ALPHA_1_2026-01-05.csv');
    expect(legacy.text.split('\n').filter(Boolean)).toHaveLength(SEED.linesPerPartition + 1);
    for (const action of ['cell-refetch', 'cell-recombine'])
      expect(await drawer.getByTestId(action).isVisible()).toBe(true);
    await browser.screenshot('seeded-cell-detail');
    await drawer.getByTestId('cell-detail-close').click();

    await cell(SEED.failed).click();
    await until(() => drawer.getByTestId('cell-failure').textContent()).toContain(
      'upstream answered HTTP 500',
    );
    await drawer.getByTestId('cell-detail-close').click();
  });

  test('mark known-empty turns a never-requested cell into an empty day', async () => {
    const day = { branch: 'CHARLIE', pos: 2, date: '2026-01-29' };
    await cell(day).click();
    const drawer = page.getByTestId('cell-detail');
    await drawer.getByTestId('cell-known-empty').click();
    // Never fetched, so still `pending`, but shown as a closed day.
    await drawer.getByTestId('cell-known-empty-badge').waitFor();
    expect(await drawer.getByTestId('cell-status').textContent()).toBe('pending');
    await drawer.getByTestId('cell-detail-close').click();
    await until(() => cell(day).getAttribute('data-tone')).toBe('empty');
  });

  test('a backfill started from the dashboard shows live progress up to 100%', async () => {
    await go('#/jobs');
    const form = page.getByTestId('backfill-form');
    await form.getByTestId('backfill-from').fill('2026-01-20');
    await form.getByTestId('backfill-to').fill('2026-01-21');
    await form.getByTestId('backfill-branches-search').fill('BRA');
    await form.getByTestId('backfill-branches-option').first().check();
    await form.getByTestId('backfill-pos-2').uncheck();
    await form.getByTestId('backfill-submit').click();
    const running = page.locator('[data-testid="job-card"][data-status="running"]').first();
    await running.waitFor();
    const jobId = (await running.getAttribute('data-job-id'))!;
    const card = page.locator(`[data-testid="job-card"][data-job-id="${jobId}"]`);
    const bar = card.getByTestId('job-progress');
    const parts = gw.db.collection<PartitionDoc>(Collections.partitions);
    await waitUntil('the job partitions', async () => (await parts.countDocuments({ jobIds: jobId })) === 2);
    expect(await parts.distinct('_id', { jobIds: jobId })).toEqual([
      'BRAVO_1_2026-01-20',
      'BRAVO_1_2026-01-21',
    ]);
    await until(() => bar.getAttribute('data-percent')).toBe('0');

    // Play the pipeline's part: one partition loaded, then the other.
    const finish = (id: string) =>
      parts.updateOne(
        { _id: id },
        {
          $set: {
            status: 'loaded',
            generation: 1,
            claimedGeneration: 1,
            rowsLoaded: 10,
            updatedAt: new Date(),
          },
        },
      );
    await finish('BRAVO_1_2026-01-20');
    await until(() => bar.getAttribute('data-percent')).toBe('50');
    await browser.screenshot('seeded-backfill-half');
    await finish('BRAVO_1_2026-01-21');
    await until(() => bar.getAttribute('data-percent')).toBe('100');
    await until(() => card.getAttribute('data-status')).toBe('succeeded');
    expect(await card.getByTestId('job-percent').textContent()).toBe('100%');
    expect(await card.getByTestId('job-figures').textContent()).toContain('20 rows loaded');

    const partial = page.locator(`[data-testid="job-card"][data-job-id="${gw.facts.jobIds.partial}"]`);
    await until(() => partial.getByTestId('job-failures').textContent()).toContain(
      'upstream answered HTTP 500',
    );
    expect(await partial.getByTestId('job-retry').isVisible()).toBe(true);
    await browser.screenshot('seeded-jobs', { fullPage: true });
  });

  test('transactions: filters, cursor "load more" and CSV export', async () => {
    await go(`#/transactions?from=${SEED.loaded.from}&to=${SEED.loaded.to}`);
    const rows = page.getByTestId('tx-row');
    await until(() => rows.count()).toBe(100);
    await page.getByTestId('tx-load-more').click();
    await until(() => rows.count()).toBe(200);

    await page.getByTestId('tx-branch').selectOption('ALPHA');
    await page.getByTestId('tx-daypart').selectOption('Lunch');
    await page.getByTestId('tx-apply').click();
    const expected = await gw.db.collection(Collections.transactions).countDocuments({
      branch: 'ALPHA',
      daypart: 'Lunch',
      date: { $gte: SEED.loaded.from, $lte: SEED.loaded.to },
    });
    expect(expected).toBeGreaterThan(100);
    await until(() => page.getByTestId('tx-status').textContent()).toBe('100 lines shown · more available');
    while (await page.getByTestId('tx-load-more').isVisible()) {
      const before = await rows.count();
      await page.getByTestId('tx-load-more').click();
      await until(() => rows.count()).toBeGreaterThan(before);
    }
    expect(await rows.count()).toBe(expected);
    const branches = await page.locator('[data-testid="tx-row"] td[data-label="Branch"]').allTextContents();
    expect(new Set(branches)).toEqual(new Set(['ALPHA']));
    expect(page.url()).toContain('branch=ALPHA');

    const csv = await download(page.getByTestId('tx-export-csv'));
    const lines = csv.text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(expected + 1);
    await browser.screenshot('seeded-transactions');
  });

  test('sales: KPIs, the daily line with last year, and bar charts with tooltips', async () => {
    await go(`#/sales?from=${SEED.loaded.from}&to=${SEED.loaded.to}`);
    await until(() => page.getByTestId('sales-day-chart-point').count()).toBe(14);
    expect(await page.getByTestId('kpi-sales').textContent()).toContain(pesos(gw.facts.salesE4));
    expect(await page.getByTestId('kpi-tc').textContent()).toContain(
      gw.facts.receipts.toLocaleString('en-US'),
    );
    expect(await page.getByTestId('sales-day-chart').textContent()).toContain('Last year');
    for (const g of ['hour', 'daypart', 'product', 'department', 'category', 'payment'])
      await until(() => page.getByTestId(`sales-${g}-chart-bar`).count(), g).toBeGreaterThan(0);
    expect(await page.getByTestId('sales-payment-chart-bar').count()).toBe(3);
    const bar = page.getByTestId('sales-product-chart-bar').first();
    expect(await bar.getAttribute('aria-label')).toMatch(/Sales [\d,]+\.\d\d, Qty \d+, TC \d+, AC/);
    await bar.hover();
    const tip = page.getByTestId('sales-product-panel').locator('.chart-tooltip');
    await until(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain('TC');
    await browser.screenshot('seeded-sales', { fullPage: true });
  });

  test('monitor: filter by kind and resolve', async () => {
    await go('#/monitor');
    await until(() => page.getByTestId('monitor-entry').count()).toBe(3);
    await page.getByTestId('monitor-kind').selectOption('dropped-rows');
    await until(() => page.getByTestId('monitor-entry').count()).toBe(1);
    await browser.screenshot('seeded-monitor');
    await page.getByTestId('monitor-resolve').click();
    await until(() => page.getByTestId('monitor-empty').isVisible()).toBe(true);
    const doc = await gw.db.collection(Collections.monitor).findOne({ _id: 'mon-dropped' as never });
    expect(doc?.resolved).toBe(true);
  });

  test('queues: one row per stage with dead letters and requeue', async () => {
    await go('#/queues');
    await until(() => page.getByTestId('queue-row').count()).toBe(3);
    expect(await page.getByTestId('queue-requeue').first().isDisabled()).toBe(true);
    await browser.screenshot('seeded-queues');
  });

  test('fits a 390×844 phone screen', async () => {
    await page.setViewportSize(PHONE);
    const pages: Array<[string, string]> = [
      [`#/coverage?month=${SEED.month}`, 'coverage-grid'],
      ['#/jobs', 'job-card'],
      [`#/transactions?from=${SEED.loaded.from}&to=${SEED.loaded.to}`, 'tx-row'],
      [`#/sales?from=${SEED.loaded.from}&to=${SEED.loaded.to}`, 'sales-day-chart'],
      ['#/monitor?resolved=1', 'monitor-entry'],
      ['#/queues', 'queue-row'],
    ];
    for (const [hash, testid] of pages) {
      const name = hash.slice(2).split('?')[0]!;
      await go(hash);
      await page.getByTestId(testid).first().waitFor();
      if (name === 'jobs') await page.getByTestId('job-done').first().waitFor();
      if (name === 'sales')
        for (const g of ['hour', 'daypart', 'product', 'payment'])
          await page.getByTestId(`sales-${g}-chart-bar`).first().waitFor();
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      expect(width, `${hash} scrolls sideways`).toBeLessThanOrEqual(PHONE.width);
      // Long lists: the first screen is what a phone shows; short pages in full.
      await browser.screenshot(`seeded-phone-${name}`, { fullPage: name !== 'transactions' });
    }
    await go(`#/coverage?month=${SEED.month}`);
    await cell(SEED.withFiles).click();
    await page.getByTestId('cell-files').waitFor();
    await browser.screenshot('seeded-phone-cell-detail');
  });

  test('no script errors on the way', () => {
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
