import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './processes.js';

/** Debian's chromium (scripts/setup.sh installs it); playwright-core drives it, downloading no browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_PRESENT = existsSync(CHROMIUM_PATH);
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'browser');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export const LAPTOP = { width: 1366, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Browser console errors and failed page scripts, to assert a clean run. */
  errors: string[];
  screenshot(name: string, opts?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile (its own --user-data-dir, removed
 * on close), so localStorage and cache never leak between runs.
 */
export async function openBrowser(
  opts: { viewport?: { width: number; height: number }; downloads?: boolean } = {},
): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'posflow-chromium-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: opts.viewport ?? LAPTOP,
    acceptDownloads: opts.downloads ?? true,
    // No transitions: screenshots show the end state (the CSS honours reduced motion).
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return {
    context,
    page,
    errors,
    screenshot: async (name, o = {}) => {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      // A full-page shot of a scrolled page draws the sticky bars mid-page.
      if (o.fullPage) await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path, fullPage: o.fullPage ?? false });
      return path;
    },
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
