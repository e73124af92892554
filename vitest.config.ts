import { defineConfig } from 'vitest/config';

// Three tiers (STYLE.md §10): unit tests next to the code, integration tests
// against the real broker and database, end-to-end tests in test/ that run the
// services as processes. `pnpm test` runs all three; a run of zero tests fails.
const unitInclude = [
  'packages/*/src/**/*.test.ts',
  'services/*/src/**/*.test.ts',
  // the gateway dashboard's browser modules (pure ones are unit-tested in Node)
  'services/*/web/src/**/*.test.ts',
  'test/src/**/*.test.ts',
];
const integrationInclude = ['**/src/**/*.integration.test.ts'];
const e2eInclude = ['test/src/**/*.e2e.test.ts'];
const exclude = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  test: {
    passWithNoTests: false,
    reporters: ['default', './test/src/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: unitInclude,
          exclude: [...exclude, ...integrationInclude, ...e2eInclude],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: integrationInclude,
          exclude,
          globalSetup: ['./test/src/support/infra.global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: e2eInclude,
          exclude,
          globalSetup: ['./test/src/support/infra.global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
