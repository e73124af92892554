import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, type Registry } from '@posflow/runtime';

/** The gateway's own metrics (names in docs/metrics.md). */
export function createGatewayMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: 'posflow_http_requests_total',
      help: 'API requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'posflow_http_request_duration_seconds',
      help: 'API request duration by route pattern (streams: until the last byte).',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers: [registry],
    }),
    partitions: new Gauge({
      name: 'posflow_partitions',
      help: 'Partitions by status.',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    yesterdayCoverage: new Gauge({
      name: 'posflow_yesterday_coverage_ratio',
      help: "Share of yesterday's (Asia/Manila) expected partitions that are loaded or empty.",
      registers: [registry],
    }),
    queueMessages: new Gauge({
      name: 'posflow_queue_messages',
      help: 'Messages in each posflow queue (RabbitMQ management API).',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    deadLetters: new Gauge({
      name: 'posflow_dead_letter_messages',
      help: 'Messages in each stage’s dead-letter queue.',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    monitorOpen: new Gauge({
      name: 'posflow_monitor_open_entries',
      help: 'Unresolved monitor entries by kind.',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  };
}
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** Counts and times every request under its route pattern (never the raw path: ids would explode the label set). */
export function requestMetrics(m: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const end = m.duration.startTimer();
    res.once('close', () => {
      const route = typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
      end({ route });
      m.requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
