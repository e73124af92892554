import { FILE_TYPES, type FileType } from '@posflow/contracts';
import {
  chooseExportFile,
  combineGroup,
  loadReference as loadEngineReference,
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
      },
    );
    for await (const batch of run.batches()) {
      if (req.signal?.aborted) throw new Error('combine aborted');
      yield* batch;
    }
  },
};

/** The engine's rule among re-sent duplicates, applied per type. */
export const chooseFiles: ChooseFiles = (candidates) => {
  const out = [];
  for (const type of FILE_TYPES) {
    const best = chooseExportFile(candidates.filter((c) => c.type === type));
    if (best) out.push(best);
  }
  return out;
};
