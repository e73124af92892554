/**
 * Answer shapes of the gateway that have no schema in @posflow/contracts
 * (list wrappers the routes build inline). The contracts' own types are
 * imported with `import type`, so the browser code carries none of zod.
 */
import type {
  FileRecordDoc,
  JobKind,
  JobStatus,
  MonitorDoc,
  PartitionDoc,
  TransactionDoc,
} from '@posflow/contracts';
import type { z } from 'zod';

type Jsonified<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K];
};

export interface JobListItem {
  id: string;
  kind: z.infer<typeof JobKind>;
  status: JobStatus;
  total: number;
  createdBy: string;
  createdAt: string;
  finishedAt?: string;
  request: Record<string, unknown>;
}
export interface ItemsPage<T> {
  items: T[];
}

export type MonitorEntry = Jsonified<MonitorDoc> & { id: string };
export type FileEntry = Jsonified<FileRecordDoc> & { id: string };
/** `GET /partitions` items: the partition summary (no file count, no job list). */
export type PartitionEntry = Pick<
  Jsonified<PartitionDoc>,
  | 'branch'
  | 'pos'
  | 'date'
  | 'status'
  | 'generation'
  | 'rowsLoaded'
  | 'rowsDropped'
  | 'knownEmpty'
  | 'updatedAt'
> & {
  id: string;
  failure?: { stage: string; reason: string; attempts: number; at: string };
};
export type TransactionRow = Omit<Jsonified<TransactionDoc>, 'pg' | 'dateAt' | 'legacy'>;
export interface TransactionsPage {
  items: TransactionRow[];
  nextCursor: string | null;
}

/** `GET /me`: who the key is (not every gateway build has it; the shell copes without). */
export interface WhoAmI {
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  branches?: string[];
}
