import type { DroppedRow, FileType, ParsedRow, PartitionKey } from '@posflow/contracts';

/** One raw file of the partition, opened only when the engine asks for it. */
export interface RawSource {
  type: FileType;
  name: string;
  open(): AsyncIterable<Buffer>;
}

export interface CombineRequest<R> {
  partition: PartitionKey;
  sources: readonly RawSource[];
  reference: R;
  /** Folder for spill files; the engine removes its own. */
  tmpDir: string;
  /** Called for every row or file the engine drops (synchronously; backpressure is on the sources). */
  onDropped(row: DroppedRow): void;
  signal?: AbortSignal;
}

/** What the handler needs of the combine engine (packages/combine, adapted in adapters/combine-engine.adapter.ts). */
export interface CombineEnginePort<R> {
  /** Rows in legacy output order; fails when a file cannot be read. */
  combine(req: CombineRequest<R>): AsyncIterable<ParsedRow>;
}

/** A stored raw file the choice rule looks at. */
export interface ChoiceCandidate {
  type: FileType;
  name: string;
  sendTime: string;
  dataRows: number;
}

/** The engine's rule among re-sent duplicates: one file per type. */
export type ChooseFiles = <C extends ChoiceCandidate>(candidates: readonly C[]) => C[];
