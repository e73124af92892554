import { Counter, Histogram, type Registry } from '@posflow/runtime';

/** The importer's own metrics (beside the worker metrics every service has). */
export function createImportMetrics(registry: Registry) {
  return {
    rows: new Counter({
      name: 'posflow_import_rows_total',
      help: 'Rows written to transactions (duplicates of an earlier attempt not counted).',
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'posflow_import_batch_seconds',
      help: 'Time to write one batch of rows.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    summaryRebuildSeconds: new Histogram({
      name: 'posflow_import_summary_rebuild_seconds',
      help: 'Time of one dirty-month summary rebuild pass that rebuilt at least one month.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40],
      registers: [registry],
    }),
    partitionsLoaded: new Counter({
      name: 'posflow_partitions_loaded_total',
      help: 'Partition generations made current (loaded).',
      registers: [registry],
    }),
  };
}
export type ImportMetrics = ReturnType<typeof createImportMetrics>;
