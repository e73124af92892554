import { Counter, Gauge, Histogram, type Registry } from '@posflow/runtime';

/** The fetcher's politeness and health metrics (names fixed: the Grafana dashboard uses them). */
export function createUpstreamMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: 'posflow_upstream_requests_total',
      help: 'Upstream HTTP requests, by kind (list, download) and outcome (ok, empty, error).',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'posflow_upstream_errors_total',
      help: 'Upstream failures by kind and error (html, error-text, http-5xx, timeout, reset, truncated, invalid-header).',
      labelNames: ['kind', 'error'] as const,
      registers: [registry],
    }),
    bytes: new Counter({
      name: 'posflow_upstream_bytes_total',
      help: 'Bytes downloaded from the upstream.',
      registers: [registry],
    }),
    downloadSeconds: new Histogram({
      name: 'posflow_upstream_download_seconds',
      help: 'Time to download and store one file.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'posflow_upstream_in_flight',
      help: 'Upstream requests this replica is making right now (each holds a global permit).',
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'posflow_upstream_breaker_state',
      help: 'Circuit breaker: 0 closed, 1 half-open, 2 open.',
      registers: [registry],
    }),
    permitWaitSeconds: new Histogram({
      name: 'posflow_upstream_permit_wait_seconds',
      help: 'Time spent waiting for a global upstream permit.',
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}
export type UpstreamMetrics = ReturnType<typeof createUpstreamMetrics>;
