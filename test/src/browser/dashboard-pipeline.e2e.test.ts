import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_PRESENT, openBrowser, type Browser } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

// The dashboard driving the real system: gateway, fetcher, combiner and
// importer as processes, the upstream simulator serving a generated dataset,
// RabbitMQ and the database. A backfill started in the browser must run to
// 100%, and what it loaded must show in the grid, the table and the charts.
// Screenshots: test-results/browser/pipeline-*.png.
if (!CHROMIUM_PRESENT)
  throw new Error(`chromium not found at ${CHROMIUM_PATH}: run scripts/setup.sh (apt-get install chromium)`);

const FROM = '2026-01-05';
const TO = '2026-01-06';

let stack: Stack;
let browser: Browser;
let page: Page;

/** Waits for the UI (the pipeline does real work: a generous bound; nothing about speed is asserted). */
const until = <T>(fn: () => Promise<T> | T, timeout = 60_000) => expect.poll(fn, { timeout, interval: 250 });

async function go(hash: string): Promise<void> {
  await page.goto(`${stack.pipeline.gatewayUrl}/${hash}`);
  await page.getByTestId('view').waitFor();
}

describe('dashboard on the whole pipeline', () => {
  beforeAll(async () => {
    stack = await startStack({ branches: 3, pos: [1], from: FROM, to: TO });
    browser = await openBrowser();
    page = browser.page;
    page.on('dialog', (d) => void d.accept());
    await page.goto(stack.pipeline.gatewayUrl);
    await page.getByTestId('api-key-input').fill(stack.pipeline.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.getByTestId('identity').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('a backfill started from the dashboard reaches 100% with live progress', async () => {
    await go('#/jobs');
    const form = page.getByTestId('backfill-form');
    await form.getByTestId('backfill-from').fill(FROM);
    await form.getByTestId('backfill-to').fill(TO);
    await form.getByTestId('backfill-pos-2').uncheck();
    // No branch ticked: every branch of branches.txt (the generated ones).
    await form.getByTestId('backfill-submit').click();
    const running = page.locator('[data-testid="job-card"][data-status="running"]').first();
    await running.waitFor();
    const jobId = (await running.getAttribute('data-job-id'))!;
    const card = page.locator(`[data-testid="job-card"][data-job-id="${jobId}"]`);
    await browser.screenshot('pipeline-backfill-running');
    await until(() => card.getByTestId('job-progress').getAttribute('data-percent'), 300_000).toBe('100');
    await until(() => card.getAttribute('data-status')).not.toBe('running');
    const closed = stack.dataset.partitions.filter((p) => p.closed).length;
    expect(await card.getAttribute('data-status')).toBe(closed > 0 ? 'partial' : 'succeeded');
    const expected = stack.dataset.partitions.length;
    expect(await card.getByTestId('job-done').textContent()).toContain(`${expected} / ${expected}`);
    await browser.screenshot('pipeline-backfill-done');
  });

  test('the coverage grid shows the loaded days; a cell lists the fetched files', async () => {
    await go(`#/coverage?month=${FROM.slice(0, 7)}`);
    const loaded = stack.dataset.partitions.find((p) => !p.closed)!;
    const cell = page.locator(
      `[data-testid="coverage-cell"][data-branch="${loaded.branch}"][data-pos="${loaded.pos}"][data-date="${loaded.date}"]`,
    );
    await until(() => cell.getAttribute('data-status')).toBe('loaded');
    await browser.screenshot('pipeline-coverage');
    await cell.click();
    const drawer = page.getByTestId('cell-detail');
    await drawer.getByTestId('cell-files').waitFor();
    expect(await drawer.getByTestId('cell-rows').textContent()).toBe(
      loaded.expectedOutputRows.toLocaleString('en-US'),
    );
    expect(await drawer.getByTestId('cell-file').count()).toBe(loaded.files.length);
    await browser.screenshot('pipeline-cell-detail');
    await drawer.getByTestId('cell-detail-close').click();
  });

  test('transactions of one branch, filtered in the table', async () => {
    const branch = stack.range.branches[0]!;
    await go(`#/transactions?from=${FROM}&to=${TO}`);
    await page.getByTestId('tx-branch').selectOption(branch);
    await page.getByTestId('tx-apply').click();
    await until(() => page.getByTestId('tx-status').textContent()).toMatch(/lines? shown/);
    const branches = await page.locator('[data-testid="tx-row"] td[data-label="Branch"]').allTextContents();
    expect(branches.length).toBeGreaterThan(0);
    expect(new Set(branches)).toEqual(new Set([branch]));
    await browser.screenshot('pipeline-transactions');
  });

  test('the sales charts render from the loaded rollups', async () => {
    await go(`#/sales?from=${FROM}&to=${TO}`);
    await until(() => page.getByTestId('sales-day-chart-point').count()).toBe(2);
    expect(await page.getByTestId('kpi-sales').textContent()).toMatch(/[1-9]/);
    for (const g of ['hour', 'product', 'payment'])
      await until(() => page.getByTestId(`sales-${g}-chart-bar`).count()).toBeGreaterThan(0);
    await browser.screenshot('pipeline-sales', { fullPage: true });
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
