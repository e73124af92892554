import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { DroppedRow } from '@posflow/contracts';
import { plainField } from './legacy-field.renderer.js';

export const DROPPED_CSV_HEADER = 'partition,file,line,reason,raw,detail';

/**
 * `dropped.csv` of the combine CLI: one line per dropped row or file-level
 * problem. Raw text is CSV-quoted when needed, so a dropped line with commas
 * or quotes reads back whole. Without its header it is one group's part,
 * appended to the whole file with `append` once the group is done.
 */
export class DroppedCsvWriter {
  private readonly out: WriteStream;
  private written = 0;

  constructor(path: string, { header = true }: { header?: boolean } = {}) {
    this.out = createWriteStream(path);
    if (header) this.out.write(`${DROPPED_CSV_HEADER}\n`);
  }

  get count(): number {
    return this.written;
  }

  write(partition: string, row: DroppedRow): void {
    this.written++;
    const fields = [partition, row.file, String(row.line), row.reason, row.raw, row.detail ?? ''];
    this.out.write(`${fields.map(plainField).join(',')}\n`);
  }

  /** Copies a part written by another writer (`lines` of them) to the end of this file. */
  async append(path: string, lines: number): Promise<void> {
    for await (const chunk of createReadStream(path)) {
      if (!this.out.write(chunk)) await once(this.out, 'drain');
    }
    this.written += lines;
  }

  async close(): Promise<void> {
    this.out.end();
    await finished(this.out);
  }
}
