import { createReadStream, existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FILE_TYPES, type FileType, type ParsedRow } from '@posflow/contracts';
import {
  combineGroup,
  groupExportFiles,
  loadReference,
  renderLegacyCsv,
  type ExportGroup,
  type GroupFile,
  type ReferenceData,
} from '@posflow/combine';
import { TransactionsRepository, ensureCoreIndexes, ensureDataIndexes } from '@posflow/dal';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import { writeArtifact } from './testing/artifact.writer.js';
import { inProcessImporter } from './testing/harness.js';
import { importMessage, stageCombined } from './testing/import-message.js';

// services/importer/src → repository root; the fixtures are read in place, never copied.
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES = join(REPO_ROOT, '..', 'shared', 'fixtures');
const NO_FIXTURES = !existsSync(join(FIXTURES, 'pos-exports'));
const reason = `skipped: ${FIXTURES} is absent (shared fixtures are read from ../shared, never copied into the repo)`;
if (NO_FIXTURES) console.warn(reason);

async function combined(group: ExportGroup, reference: ReferenceData): Promise<ParsedRow[]> {
  const files: Partial<Record<FileType, GroupFile>> = {};
  for (const type of FILE_TYPES) {
    const file = group.files[type]?.[0];
    if (file)
      files[type] = {
        name: file.name,
        open: () => createReadStream(join(FIXTURES, 'pos-exports', file.name)),
      };
  }
  const rows: ParsedRow[] = [];
  for await (const row of combineGroup({ key: group.key, files }, { reference }).rows()) rows.push(row);
  return rows;
}

describe.skipIf(NO_FIXTURES)(
  `fixture partitions, loaded and exported again, are byte-identical to the legacy output ${NO_FIXTURES ? reason : ''}`,
  () => {
    let mongo: MongoHandle;
    let reference: ReferenceData;
    let groups: ExportGroup[];

    beforeAll(async () => {
      mongo = await connectMongo(testMongoUrl().url, createLogger('t', 'silent'));
      await ensureCoreIndexes(mongo.db);
      await ensureDataIndexes(mongo.db);
      reference = await loadReference(join(FIXTURES, 'reference'));
      groups = groupExportFiles(await readdir(join(FIXTURES, 'pos-exports'))).groups;
    });
    afterAll(async () => {
      await mongo?.db.dropDatabase();
      await mongo?.close();
    });

    test('every fixture group: combine engine → artifact → importer → streamLegacy → legacy CSV', async () => {
      expect(groups.length).toBeGreaterThanOrEqual(12);
      const tx = new TransactionsRepository(mongo.db);
      const importer = inProcessImporter(mongo.db, 100);
      for (const group of groups) {
        const rows = await combined(group, reference);
        // generation 2 over a generation 1 of other content: the export must show only the current one
        await stageCombined(mongo.db, group.key, 1);
        const g1 = await writeArtifact(
          mongo.db,
          group.key,
          1,
          rows.slice(0, 5).map((r) => ({ ...r, legacy: `${r.legacy},old` })),
        );
        expect(await importer.run(importMessage(group.key, 1, g1))).toEqual({ action: 'ack' });
        await stageCombined(mongo.db, group.key, 2);
        const g2 = await writeArtifact(mongo.db, group.key, 2, rows);
        expect(await importer.run(importMessage(group.key, 2, g2))).toEqual({ action: 'ack' });

        let text = '';
        for await (const piece of renderLegacyCsv(tx.streamLegacy([group.key]))) text += piece;
        const expected = await readFile(join(FIXTURES, 'legacy-output', `${group.id}.csv`), 'utf8');
        expect(text, group.id).toBe(expected);
      }
    });
  },
);
