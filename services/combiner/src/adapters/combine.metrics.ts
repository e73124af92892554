import { Counter, type Registry } from '@posflow/runtime';

/** The combiner's own metrics (the worker metrics come from the service base). */
export function createCombineMetrics(registry: Registry) {
  return {
    rows: new Counter({
      name: 'posflow_combine_rows_total',
      help: 'Rows written to parsed artifacts.',
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'posflow_combine_dropped_rows_total',
      help: 'Rows the combine did not turn into output, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}
export type CombineMetrics = ReturnType<typeof createCombineMetrics>;
