import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { DroppedRow } from '@posflow/contracts';
import { plainField } from './legacy-field.renderer.js';

export const DROPPED_CSV_HEADER = 'partition,file,line,reason,raw,detail';

/**
 * `dropped.csv` of the combine CLI: one line per dropped row or file-level
 * problem, in line order within a partition (partitions combined at the same
 * time may interleave). Raw text is CSV-quoted when needed, so a dropped line
 * with commas or quotes reads back whole.
 */
export class DroppedCsvWriter {
  private readonly out: WriteStream;
  private written = 0;

  constructor(path: string) {
    this.out = createWriteStream(path);
    this.out.write(`${DROPPED_CSV_HEADER}\n`);
  }

  get count(): number {
    return this.written;
  }

  write(partition: string, row: DroppedRow): void {
    this.written++;
    const fields = [partition, row.file, String(row.line), row.reason, row.raw, row.detail ?? ''];
    this.out.write(`${fields.map(plainField).join(',')}\n`);
  }

  async close(): Promise<void> {
    this.out.end();
    await finished(this.out);
  }
}
