import type { DropReason, DroppedRow } from '@posflow/contracts';

/** Samples kept per drop reason for the monitor entry (the droppedrows collection keeps them all). */
export const SAMPLES_PER_REASON = 20;

export interface DropReasonSummary {
  reason: DropReason;
  count: number;
  samples: Array<{ line: number; raw: string; reason: DropReason }>;
  /** Files the reason occurred in (usually one). */
  files: string[];
}

/** Raw text in a monitor sample is cut to this many characters. */
const SAMPLE_RAW_MAX = 500;

/** Counts dropped rows per reason and keeps the first few of each as samples; memory stays bounded. */
export class DropSummary {
  private readonly byReason = new Map<DropReason, DropReasonSummary>();
  total = 0;

  add(row: DroppedRow): void {
    this.total++;
    let s = this.byReason.get(row.reason);
    if (!s) {
      s = { reason: row.reason, count: 0, samples: [], files: [] };
      this.byReason.set(row.reason, s);
    }
    s.count++;
    if (s.samples.length < SAMPLES_PER_REASON)
      s.samples.push({ line: row.line, raw: row.raw.slice(0, SAMPLE_RAW_MAX), reason: row.reason });
    if (row.file && !s.files.includes(row.file) && s.files.length < 10) s.files.push(row.file);
  }

  reasons(): DropReasonSummary[] {
    return [...this.byReason.values()];
  }

  /** A one-line description for the monitor entry. */
  static detail(s: DropReasonSummary): string {
    const where = s.files.length > 0 ? ` in ${s.files.join(', ')}` : '';
    return `${s.count} row(s) dropped: ${s.reason}${where}`;
  }
}
