import { z } from 'zod';
import { envelope } from './envelope.js';
import { FileType } from './files.js';
import { PartitionKey } from './partition.js';
import type { Stage } from './queues.js';

// ---- fetch queue ---------------------------------------------------------
export const FetchRequestedV1 = envelope(
  'fetch.requested',
  1,
  z.object({
    partition: PartitionKey,
    /** The job that asked for it; progress and counters go there. */
    jobId: z.string().optional(),
    /** Re-fetch even when the partition is already loaded. */
    force: z.boolean().default(false),
  }),
);
export type FetchRequestedV1 = z.infer<typeof FetchRequestedV1>;

// ---- combine queue -------------------------------------------------------
export const CombineReason = z.enum(['fetched', 'changed', 'recombine', 'upload']);
export type CombineReason = z.infer<typeof CombineReason>;

export const CombineRequestedV1 = envelope(
  'combine.requested',
  1,
  z.object({
    partition: PartitionKey,
    jobId: z.string().optional(),
    reason: CombineReason,
  }),
);
export type CombineRequestedV1 = z.infer<typeof CombineRequestedV1>;

// ---- import queue --------------------------------------------------------
export const ImportRequestedV1 = envelope(
  'import.requested',
  1,
  z.object({
    partition: PartitionKey,
    jobId: z.string().optional(),
    /** GridFS id (hex) of the parsed artifact: gzip NDJSON of ParsedRow, one per line. */
    artifactId: z.string().regex(/^[0-9a-f]{24}$/),
    /** The load generation the importer must write (claimed by the combiner). */
    generation: z.number().int().min(1),
    rows: z.number().int().min(0),
    dropped: z.number().int().min(0),
    /** sha256 of the chosen raw files' hashes: tells whether the source changed. */
    sourceHash: z.string(),
    /** Raw files the artifact was built from, by type. */
    sources: z.array(z.object({ type: FileType, fileId: z.string(), sha256: z.string() })),
  }),
);
export type ImportRequestedV1 = z.infer<typeof ImportRequestedV1>;

/** One catalog per queue: the accepted message schemas, all versions side by side. */
export const Catalog = {
  fetch: [FetchRequestedV1],
  combine: [CombineRequestedV1],
  import: [ImportRequestedV1],
} as const satisfies Record<Stage, readonly z.ZodType[]>;

export type MessageOf<S extends Stage> = z.infer<(typeof Catalog)[S][number]>;
