import { FILE_TYPES, type FileType } from '@posflow/contracts';
import {
  chooseExportFiles,
  combineGroup,
  loadReference as loadEngineReference,
  LoyaltyLogCache,
  type GroupFile,
  type ReferenceData,
} from '@posflow/combine';
import type { ChooseFiles, CombineEnginePort } from '../domain/combine-engine.port.js';

/** The reference data the engine works with (branch lists, clean-up tables). */
export type Reference = ReferenceData;

/** The engine's loader; a missing table is not an error (listed in `missingFiles`, logged by the store). */
export const loadReference = (dir: string): Promise<Reference> => loadEngineReference(dir);

/** What to log about a loaded reference folder. */
export function describeReference(ref: Reference): Record<string, unknown> {
  return { newBranches: ref.newBranches.size, missingFiles: ref.missingFiles };
}

/**
 * For the process's life: a branch's loyalty log grows day by day, so a
 * partition of a branch seen before reads only the log's new lines
 * (bounded: 32 MiB of logs and tables, least recently used dropped).
 */
const loyaltyLogs = new LoyaltyLogCache();

/** @posflow/combine behind the handler's port: GridFS-backed sources in, rows in legacy order out. */
export const engine: CombineEnginePort<Reference> = {
  async *combine(req) {
    const files: Partial<Record<FileType, GroupFile>> = {};
    for (const s of req.sources) files[s.type] = { name: s.name, open: () => s.open() };
    const run = combineGroup(
      { key: req.partition, files },
      {
        reference: req.reference,
        tmpDir: req.tmpDir,
        onDrop: (row) => req.onDropped(row),
        maxDroppedKept: 0,
        loyaltyCache: loyaltyLogs,
      },
    );
    for await (const batch of run.batches()) {
      if (req.signal?.aborted) throw new Error('combine aborted');
      yield* batch;
    }
  },
};

/** The engine's rule among re-sent duplicates, applied per type (in FILE_TYPES order). */
export const chooseFiles: ChooseFiles = (candidates) => {
  const chosen = chooseExportFiles(candidates);
  return FILE_TYPES.flatMap((type) => chosen.get(type) ?? []);
};
