import { createReadStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE_TYPES, type FileType } from '@posflow/contracts';
import { beforeAll, describe, expect, test } from 'vitest';
import { combineGroup, type GroupFile } from './combine-group.js';
import { groupExportFiles, type ExportGroup } from './export-files.grouping.js';
import { LEGACY_HEADER, renderLegacyCsv } from './legacy-csv.renderer.js';
import type { ReferenceData } from './reference-data.js';
import { loadReference } from './reference.loader.js';
import {
  LEGACY_OUTPUT_DIR,
  NO_FIXTURES,
  POS_EXPORTS_DIR,
  REFERENCE_DIR,
  noFixturesReason,
} from './testing/shared-fixtures.js';

async function combineToText(
  group: ExportGroup,
  reference: ReferenceData,
  spillThresholdChars?: number,
): Promise<string> {
  const files: Partial<Record<FileType, GroupFile>> = {};
  for (const type of FILE_TYPES) {
    const [file, ...resent] = group.files[type] ?? [];
    expect(resent).toEqual([]); // the fixtures have no re-sends
    if (file)
      files[type] = {
        name: file.name,
        open: () => createReadStream(join(POS_EXPORTS_DIR, file.name), { highWaterMark: 4096 }),
      };
  }
  const run = combineGroup({ key: group.key, files }, { reference, spillThresholdChars });
  let text = '';
  for await (const piece of renderLegacyCsv(run.batches())) text += piece;
  expect(run.report.dropped).toEqual([]);
  expect(run.report.rows).toBe(run.report.dataLines);
  return text;
}

/** The same through `legacyBytes()`, what `pnpm combine` writes (header + the bytes). */
async function combineToBytes(
  group: ExportGroup,
  reference: ReferenceData,
  spillThresholdChars?: number,
): Promise<Buffer> {
  const files: Partial<Record<FileType, GroupFile>> = {};
  for (const type of FILE_TYPES) {
    const [file] = group.files[type] ?? [];
    if (file)
      files[type] = {
        name: file.name,
        open: () => createReadStream(join(POS_EXPORTS_DIR, file.name), { highWaterMark: 4096 }),
      };
  }
  const run = combineGroup({ key: group.key, files }, { reference, spillThresholdChars });
  const pieces = [Buffer.from(`${LEGACY_HEADER}\n`)];
  for await (const piece of run.legacyBytes()) pieces.push(Buffer.from(piece));
  expect(run.report.dropped).toEqual([]);
  return Buffer.concat(pieces);
}

describe.skipIf(NO_FIXTURES)(
  `real POS exports against the legacy output, byte for byte ${noFixturesReason()}`,
  () => {
    let reference: ReferenceData;
    let groups: ExportGroup[] = [];
    beforeAll(async () => {
      reference = await loadReference(REFERENCE_DIR);
      const grouped = groupExportFiles(await readdir(POS_EXPORTS_DIR));
      expect(grouped.unrecognised).toEqual([]);
      groups = grouped.groups;
    });

    test('every fixture group has a reference output and vice versa', async () => {
      const expected = (await readdir(LEGACY_OUTPUT_DIR)).sort();
      expect(groups.map((g) => `${g.id}.csv`)).toEqual(expected);
      expect(groups.length).toBeGreaterThanOrEqual(12);
    });

    test('each group is byte-identical (in memory)', async () => {
      for (const group of groups) {
        const expected = await readFile(join(LEGACY_OUTPUT_DIR, `${group.id}.csv`), 'utf8');
        expect(await combineToText(group, reference), group.id).toBe(expected);
      }
    });

    test('each group is byte-identical through legacyBytes() too, in memory and spilled', async () => {
      for (const group of groups) {
        const expected = await readFile(join(LEGACY_OUTPUT_DIR, `${group.id}.csv`));
        expect((await combineToBytes(group, reference)).equals(expected), group.id).toBe(true);
        expect((await combineToBytes(group, reference, 1)).equals(expected), group.id).toBe(true);
        expect((await combineToBytes(group, reference, 20_000)).equals(expected), group.id).toBe(true);
      }
    });

    test('each group is byte-identical through the spill path too (threshold of one character)', async () => {
      for (const group of groups) {
        const expected = await readFile(join(LEGACY_OUTPUT_DIR, `${group.id}.csv`), 'utf8');
        expect(await combineToText(group, reference, 1), group.id).toBe(expected);
      }
    });
  },
);
