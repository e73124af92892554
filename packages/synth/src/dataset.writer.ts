import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dateRange, partitionId } from '@posflow/contracts';
import { branchProfile } from './branch-profile.js';
import { defaultBranches, defaultNewFormatBranches } from './branches.data.js';
import type { EdgeCaseOptions, InjectedEdgeCase } from './edge-cases.js';
import { generateGroup, type ScaleOptions } from './group.generator.js';
import { LoyaltyLog } from './loyalty-log.js';

export interface WriteDatasetOptions {
  readonly outDir: string;
  /** A count (first N made-up branches) or explicit codes. Default 30. */
  readonly branches?: number | readonly string[];
  /** Which branches use the new export format; default every 7th. */
  readonly newBranches?: readonly string[];
  readonly pos?: readonly number[];
  readonly from: string;
  readonly to: string;
  readonly seed?: number;
  readonly edgeCases?: boolean | EdgeCaseOptions;
  readonly scale?: ScaleOptions;
  /** `by-date`: `<outDir>/<date>/<file>` like the server's upload archive; `flat`: all in outDir. */
  readonly layout?: 'by-date' | 'flat';
}

export interface PartitionSummary {
  readonly id: string;
  readonly branch: string;
  readonly pos: number;
  readonly date: string;
  readonly format: 'classic' | 'new';
  readonly closed: boolean;
  /** Paths relative to outDir, `/`-separated. */
  readonly files: string[];
  readonly rd5000Rows: number;
  readonly expectedOutputRows: number;
  readonly expectedDroppedRows: number;
  readonly injected: InjectedEdgeCase[];
}

export interface DatasetSummary {
  readonly outDir: string;
  readonly branches: string[];
  readonly newBranches: string[];
  readonly files: number;
  readonly bytes: number;
  readonly groups: number;
  readonly closedGroups: number;
  readonly rd5000Rows: number;
  readonly expectedOutputRows: number;
  readonly partitions: PartitionSummary[];
}

/** Writes every (branch, pos, date) group of the range; walks dates in order per branch so loyalty logs grow once. */
export async function writeDataset(opts: WriteDatasetOptions): Promise<DatasetSummary> {
  const seed = opts.seed ?? 1;
  const branches = typeof opts.branches === 'number' || opts.branches === undefined ? defaultBranches(opts.branches ?? 30) : [...opts.branches];
  const newBranches = [...(opts.newBranches ?? defaultNewFormatBranches(branches))];
  const dates = dateRange(opts.from, opts.to);
  const layout = opts.layout ?? 'by-date';
  const partitions: PartitionSummary[] = [];
  let files = 0;
  let bytes = 0;
  await mkdir(opts.outDir, { recursive: true });
  for (const branch of branches) {
    const format = newBranches.includes(branch) ? 'new' : 'classic';
    const profile = branchProfile(seed, branch, format);
    const loyaltyLog = new LoyaltyLog(seed, branch, profile.loyaltyStore, opts.scale?.loyalty ?? 1);
    for (const date of dates) {
      for (const pos of opts.pos ?? [1]) {
        const group = generateGroup({ branch, pos, date, seed, format, edgeCases: opts.edgeCases, scale: opts.scale, loyaltyLog });
        const dir = layout === 'by-date' ? date : '';
        if (dir !== '') await mkdir(join(opts.outDir, dir), { recursive: true });
        const written: string[] = [];
        for (const f of group.files) {
          await writeFile(join(opts.outDir, dir, f.name), f.content);
          written.push(dir === '' ? f.name : `${dir}/${f.name}`);
          bytes += f.content.length;
        }
        files += written.length;
        partitions.push({
          id: partitionId({ branch, pos, date }),
          branch,
          pos,
          date,
          format,
          closed: group.closed,
          files: written,
          rd5000Rows: group.rd5000Rows,
          expectedOutputRows: group.expectedOutputRows,
          expectedDroppedRows: group.expectedDroppedRows,
          injected: group.injected,
        });
      }
    }
  }
  return {
    outDir: opts.outDir,
    branches,
    newBranches,
    files,
    bytes,
    groups: partitions.length,
    closedGroups: partitions.filter((p) => p.closed).length,
    rd5000Rows: partitions.reduce((a, p) => a + p.rd5000Rows, 0),
    expectedOutputRows: partitions.reduce((a, p) => a + p.expectedOutputRows, 0),
    partitions,
  };
}
