import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileType } from '@posflow/contracts';
import { combineGroup, type GroupFile } from './combine-group.js';
import { DroppedCsvWriter } from './dropped-csv.writer.js';
import { chooseExportFile } from './export-file.chooser.js';
import type { ExportFileNameParts, ExportGroup } from './export-files.grouping.js';
import { readFileChunks } from './file-chunks.reader.js';
import { LEGACY_HEADER } from './legacy-csv.renderer.js';
import { countDataRows } from './line.reader.js';
import { LoyaltyLogCache } from './loyalty-log.cache.js';
import type { ReferenceData } from './reference-data.js';

/** What every group of a `combineFolder` run shares; plain data, so it can be handed to a worker thread. */
export interface FolderGroupSettings {
  inputDir: string;
  outputDir: string;
  /** Where a group with dropped rows writes them (`<group id>.dropped.csv`, no header) for the run to collect in order. */
  droppedDir: string;
  reference: ReferenceData;
  spillThresholdChars?: number | undefined;
  tmpDir?: string | undefined;
}

export interface FolderGroupResult {
  rows: number;
  /** Lines written to the group's dropped file (none: no file). */
  dropped: number;
  droppedFile: string | null;
}

const READ_CHUNK = 256 * 1024;

const LEGACY_HEADER_LINE = Buffer.from(`${LEGACY_HEADER}\n`, 'utf8');

/** Per thread, for the whole run: a branch's loyalty log is often the same file for every day of the folder. */
const loyaltyLogs = new LoyaltyLogCache();

/** One group of a folder: its legacy CSV `<id>.csv` in the output folder, its dropped rows to a file of their own. */
export async function combineFolderGroup(
  group: ExportGroup,
  settings: FolderGroupSettings,
): Promise<FolderGroupResult> {
  const files: Partial<Record<FileType, GroupFile>> = {};
  // The group's own types (no value import of @posflow/contracts here: see export-file.chooser.ts).
  for (const type of Object.keys(group.files) as FileType[]) {
    const chosen = await chooseFile(settings.inputDir, group.files[type] ?? []);
    if (chosen !== undefined) {
      const path = join(settings.inputDir, chosen.name);
      files[type] = { name: chosen.name, open: () => readFileChunks(path, READ_CHUNK) };
    }
  }
  const droppedFile = join(settings.droppedDir, `${group.id}.dropped.csv`);
  let dropped: DroppedCsvWriter | undefined;
  const run = combineGroup(
    { key: group.key, files },
    {
      reference: settings.reference,
      onDrop: (row) =>
        (dropped ??= new DroppedCsvWriter(droppedFile, { header: false })).write(group.id, row),
      maxDroppedKept: 0,
      loyaltyCache: loyaltyLogs,
      spillThresholdChars: settings.spillThresholdChars,
      tmpDir: settings.tmpDir,
    },
  );
  try {
    // Written synchronously, ~64 KiB at a time: local page-cache writes, cheaper than a stream per group.
    const out = openSync(join(settings.outputDir, `${group.id}.csv`), 'w');
    try {
      writeFullySync(out, LEGACY_HEADER_LINE);
      for await (const piece of run.legacyBytes()) writeFullySync(out, piece);
    } finally {
      closeSync(out);
    }
  } finally {
    await dropped?.close();
  }
  return {
    rows: run.report.rows,
    dropped: dropped?.count ?? 0,
    droppedFile: dropped === undefined ? null : droppedFile,
  };
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

/** A short write, rare on a local file, is finished. */
function writeFullySync(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}
