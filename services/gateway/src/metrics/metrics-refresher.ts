import { MONITOR_KINDS, PARTITION_STATUSES, STAGES, Queues, type PartitionKey } from '@posflow/contracts';
import type { MonitorRepository, PartitionViewsRepository } from '@posflow/dal';
import { errorMessage, type Logger } from '@posflow/runtime';
import type { QueueInspector } from '../adapters/queue-inspector.js';
import { manilaYesterday } from '../domain/dates.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** Share of expected partitions that are loaded or empty: POS 1 of every branch plus any other POS registered that day. */
export function coverageRatio(
  branches: readonly string[],
  partitions: ReadonlyArray<PartitionKey & { status: string; knownEmpty?: boolean | undefined }>,
): number {
  const expected = new Map<string, boolean>();
  for (const b of branches) expected.set(`${b}_1`, false);
  for (const p of partitions)
    expected.set(`${p.branch}_${p.pos}`, p.status === 'loaded' || p.status === 'empty' || p.knownEmpty === true);
  if (expected.size === 0) return 1;
  return [...expected.values()].filter(Boolean).length / expected.size;
}

/**
 * Refreshes the gauges that summarise state (partitions, coverage, queues,
 * monitor). main.ts runs it on a timer (an IntervalTask): a few small
 * aggregations every interval, never per scrape, so Prometheus scrapes stay
 * cheap whatever their rate.
 */
export class MetricsRefresher {
  constructor(
    private readonly deps: {
      metrics: GatewayMetrics;
      partitionViews: PartitionViewsRepository;
      monitor: MonitorRepository;
      queues: QueueInspector;
      branches: () => readonly string[];
      logger: Logger;
      now: () => Date;
    },
  ) {}

  /** One refresh; a failing source is logged and leaves its gauges as they were (never throws). */
  async refresh(): Promise<void> {
    const { metrics: m, partitionViews, monitor } = this.deps;
    try {
      const counts = await partitionViews.statusCounts();
      for (const s of PARTITION_STATUSES) m.partitions.set({ status: s }, counts[s] ?? 0);
      const y = manilaYesterday(this.deps.now());
      const yesterday = await partitionViews.inRange({ from: y, to: y });
      m.yesterdayCoverage.set(coverageRatio(this.deps.branches(), yesterday));
      const open = await monitor.col
        .aggregate<{ _id: string; n: number }>([
          { $match: { resolved: false } },
          { $group: { _id: '$kind', n: { $sum: 1 } } },
        ])
        .toArray();
      const byKind = new Map(open.map((o) => [o._id, o.n]));
      for (const k of MONITOR_KINDS) m.monitorOpen.set({ kind: k }, byKind.get(k) ?? 0);
    } catch (err) {
      this.deps.logger.warn({ err: errorMessage(err) }, 'metrics refresh from database failed');
    }
    try {
      const stages = await this.deps.queues.stages();
      for (const s of stages) {
        m.queueMessages.set({ queue: Queues.work(s.stage) }, s.ready + s.unacked);
        m.deadLetters.set({ stage: s.stage }, s.deadLetters);
      }
    } catch (err) {
      for (const s of STAGES) m.deadLetters.remove({ stage: s });
      this.deps.logger.warn({ err: errorMessage(err) }, 'metrics refresh from broker management failed');
    }
  }
}
