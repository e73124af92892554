import type { Collection, Db, IndexDescription } from 'mongodb';
import {
  Collections,
  partitionId,
  type MonitorDoc,
  type MonitorKind,
  type PartitionKey,
} from '@posflow/contracts';

export const monitorIndexes: IndexDescription[] = [
  { key: { resolved: 1, lastSeen: -1 }, name: 'open_recent' },
  { key: { branch: 1, date: 1 }, name: 'branch_date' },
  { key: { kind: 1 }, name: 'kind' },
];

export interface MonitorEvent {
  partition?: PartitionKey;
  kind: MonitorKind;
  /** Distinguishes entries of one kind in one partition (e.g. the drop reason or the file type). */
  key: string;
  detail: string;
  samples?: MonitorDoc['samples'];
  /** How many occurrences this event stands for (e.g. rows dropped). */
  count?: number;
}

const MAX_SAMPLES = 20;

/**
 * What an operator must look at. One entry per (partition, kind, key):
 * repeats bump `count` and `lastSeen` and re-open a resolved entry, so the
 * list stays short however often a problem recurs.
 */
export class MonitorRepository {
  readonly col: Collection<MonitorDoc>;

  constructor(db: Db) {
    this.col = db.collection<MonitorDoc>(Collections.monitor);
  }

  static idFor(ev: Pick<MonitorEvent, 'partition' | 'kind' | 'key'>): string {
    return `${ev.partition ? partitionId(ev.partition) : 'global'}:${ev.kind}:${ev.key}`;
  }

  async record(ev: MonitorEvent): Promise<void> {
    const now = new Date();
    const p = ev.partition;
    await this.col.updateOne(
      { _id: MonitorRepository.idFor(ev) },
      {
        $set: {
          kind: ev.kind,
          key: ev.key,
          detail: ev.detail.slice(0, 2000),
          lastSeen: now,
          resolved: false,
          ...(p ? { branch: p.branch, pos: p.pos, date: p.date } : {}),
          ...(ev.samples ? { samples: ev.samples.slice(0, MAX_SAMPLES) } : {}),
        },
        $inc: { count: ev.count ?? 1 },
        $setOnInsert: { firstSeen: now },
      },
      { upsert: true },
    );
  }

  /** Sets the entry's count to an absolute value (e.g. dropped rows of the latest combine, which replaces the previous). */
  async recordAbsolute(ev: MonitorEvent & { count: number }): Promise<void> {
    const now = new Date();
    const p = ev.partition;
    await this.col.updateOne(
      { _id: MonitorRepository.idFor(ev) },
      {
        $set: {
          kind: ev.kind,
          key: ev.key,
          detail: ev.detail.slice(0, 2000),
          lastSeen: now,
          resolved: false,
          count: ev.count,
          ...(p ? { branch: p.branch, pos: p.pos, date: p.date } : {}),
          ...(ev.samples ? { samples: ev.samples.slice(0, MAX_SAMPLES) } : {}),
        },
        $setOnInsert: { firstSeen: now },
      },
      { upsert: true },
    );
  }

  list(filter: Record<string, unknown>, limit = 500): Promise<MonitorDoc[]> {
    return this.col.find(filter).sort({ lastSeen: -1 }).limit(limit).toArray();
  }

  async resolve(id: string, by: string): Promise<boolean> {
    const r = await this.col.updateOne({ _id: id }, { $set: { resolved: true, resolvedBy: by } });
    return r.matchedCount === 1;
  }
}
