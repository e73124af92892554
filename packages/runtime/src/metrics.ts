import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

/** One registry per process, with the default process metrics and a `service` label on everything. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The metrics every queue worker exports (names listed in docs/metrics.md). */
export function createWorkerMetrics(registry: Registry) {
  return {
    messages: new Counter({
      name: 'posflow_messages_total',
      help: 'Messages handled, by stage and outcome (ack, retry, dead).',
      labelNames: ['stage', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'posflow_message_duration_seconds',
      help: 'Time spent handling one message.',
      labelNames: ['stage'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'posflow_messages_in_flight',
      help: 'Messages being handled right now.',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

export function createConnectionGauges(registry: Registry) {
  return {
    amqp: new Gauge({
      name: 'posflow_amqp_connected',
      help: '1 when the broker connection is up.',
      registers: [registry],
    }),
    mongo: new Gauge({
      name: 'posflow_mongo_connected',
      help: '1 when the database answers.',
      registers: [registry],
    }),
  };
}
