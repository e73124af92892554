import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FILE_TYPES, type DroppedRow, type FileType } from '@posflow/contracts';
import { combineGroup, type GroupFile } from './combine-group.js';
import { DroppedCsvWriter } from './dropped-csv.writer.js';
import {
  chooseExportFile,
  groupExportFiles,
  type ExportFileNameParts,
  type ExportGroup,
} from './export-files.grouping.js';
import { renderLegacyCsv } from './legacy-csv.renderer.js';
import { countDataRows } from './line.reader.js';
import type { ReferenceData } from './reference-data.js';

export interface CombineFolderOptions {
  inputDir: string;
  outputDir: string;
  reference: ReferenceData;
  /** Groups combined at the same time (default 4): the work is one thread, this overlaps file I/O. */
  concurrency?: number;
  spillThresholdChars?: number;
  tmpDir?: string;
}

export interface CombineFolderSummary {
  groups: number;
  rows: number;
  /** Entries in dropped.csv: dropped rows, groups without rd5000, unrecognised file names. */
  dropped: number;
  ms: number;
}

const READ_CHUNK = 256 * 1024;

/**
 * The `pnpm combine` work: every group of a folder of POS exports, one
 * `<BRANCH>_<POS>_<DATE>.csv` each (legacy format), and `dropped.csv` with
 * every row or file that did not make it, with its reason. Throws on
 * unreadable input.
 */
export async function combineFolder(options: CombineFolderOptions): Promise<CombineFolderSummary> {
  const started = performance.now();
  const entries = await readdir(options.inputDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile()).map((e) => e.name);
  const { groups, unrecognised } = groupExportFiles(names);
  await mkdir(options.outputDir, { recursive: true });
  const dropped = new DroppedCsvWriter(join(options.outputDir, 'dropped.csv'));
  let rows = 0;
  try {
    for (const name of unrecognised) {
      dropped.write('', {
        reason: 'unrecognised-file-name',
        file: name,
        line: 0,
        raw: '',
        detail: 'not <prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv',
      });
    }
    await forEachBounded(groups, options.concurrency ?? 4, async (group) => {
      const written = await combineOne(group, options, (row) => dropped.write(group.id, row));
      rows += written;
    });
  } finally {
    await dropped.close();
  }
  return { groups: groups.length, rows, dropped: dropped.count, ms: Math.round(performance.now() - started) };
}

async function combineOne(
  group: ExportGroup,
  options: CombineFolderOptions,
  onDrop: (row: DroppedRow) => void,
): Promise<number> {
  const files: Partial<Record<FileType, GroupFile>> = {};
  for (const type of FILE_TYPES) {
    const chosen = await chooseFile(options.inputDir, group.files[type] ?? []);
    if (chosen !== undefined) {
      const path = join(options.inputDir, chosen.name);
      files[type] = { name: chosen.name, open: () => createReadStream(path, { highWaterMark: READ_CHUNK }) };
    }
  }
  const run = combineGroup(
    { key: group.key, files },
    {
      reference: options.reference,
      onDrop,
      maxDroppedKept: 0,
      spillThresholdChars: options.spillThresholdChars,
      tmpDir: options.tmpDir,
    },
  );
  await pipeline(
    Readable.from(renderLegacyCsv(run.batches())),
    createWriteStream(join(options.outputDir, `${group.id}.csv`)),
  );
  return run.report.rows;
}

/** Re-sent duplicates are counted only when there is a choice to make. */
async function chooseFile(
  dir: string,
  candidates: readonly ExportFileNameParts[],
): Promise<ExportFileNameParts | undefined> {
  if (candidates.length <= 1) return candidates[0];
  const counted = await Promise.all(
    candidates.map(async (c) => ({
      ...c,
      dataRows: await countDataRows(createReadStream(join(dir, c.name), { highWaterMark: READ_CHUNK })),
    })),
  );
  return chooseExportFile(counted);
}

/** Runs `work` over `items`, at most `limit` at a time; after a failure starts nothing new, waits for the rest, rethrows. */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      try {
        await work(items[next++] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}
