import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultBranches, writeDataset, writeReference } from '@posflow/synth';

/** What one bench dataset is: a month-let of every branch's POS exports. */
export interface E2eSize {
  branches: number;
  days: number;
  /** First business date. */
  from: string;
  pos: number[];
  /** Orders per day multiplier (1 = realistic, ~800 rd5000 rows per partition). */
  orders: number;
  /** Cumulative loyalty log multiplier (1 = ~3 MB per file, see docs/benchmarks.md `## End to end`). */
  loyalty: number;
  seed: number;
}

export interface E2eDataset {
  size: E2eSize;
  exportsDir: string;
  referenceDir: string;
  range: { from: string; to: string; branches: string[]; pos: number[] };
  partitions: number;
  closedPartitions: number;
  files: number;
  bytes: number;
  rd5000Rows: number;
  expectedRows: number;
  /** Seconds spent generating it (0 when reused from the cache). */
  generatedS: number;
}

/**
 * Generates (or reuses, keyed by the size) the synthetic exports and the
 * reference tables of one bench size. Generation takes minutes at full size,
 * so a re-run of the bench reuses the folder; delete `cacheDir` to force it.
 */
export async function prepareDataset(size: E2eSize, cacheDir: string): Promise<E2eDataset> {
  const key = createHash('sha256').update(JSON.stringify(size)).digest('hex').slice(0, 12);
  const dir = join(cacheDir, `b${size.branches}-d${size.days}-${key}`);
  const summaryPath = join(dir, 'summary.json');
  if (existsSync(summaryPath)) return { ...(JSON.parse(await readFile(summaryPath, 'utf8')) as E2eDataset), generatedS: 0 };

  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const branches = defaultBranches(size.branches);
  const to = addDays(size.from, size.days - 1);
  const started = Date.now();
  const summary = await writeDataset({
    outDir: join(dir, 'exports'),
    branches,
    pos: size.pos,
    from: size.from,
    to,
    seed: size.seed,
    // Edge cases drop rows on purpose; the bench wants every row to count.
    edgeCases: false,
    scale: { orders: size.orders, loyalty: size.loyalty },
  });
  await writeReference(join(dir, 'reference'), { branches, newBranches: summary.newBranches });
  const dataset: E2eDataset = {
    size,
    exportsDir: join(dir, 'exports'),
    referenceDir: join(dir, 'reference'),
    range: { from: size.from, to, branches, pos: size.pos },
    partitions: summary.groups,
    closedPartitions: summary.closedGroups,
    files: summary.files,
    bytes: summary.bytes,
    rd5000Rows: summary.rd5000Rows,
    expectedRows: summary.expectedOutputRows,
    generatedS: (Date.now() - started) / 1000,
  };
  await writeFile(summaryPath, JSON.stringify(dataset, null, 2));
  return dataset;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
