/**
 * Every queue and exchange name, in one frozen object. Each stage has a work
 * queue (quorum), a dead-letter queue and delayed-retry queues; see
 * packages/runtime/src/amqp/topology.ts for how they are wired.
 */
export const STAGES = ['fetch', 'combine', 'import'] as const;
export type Stage = (typeof STAGES)[number];

export const Exchanges = Object.freeze({
  /** Direct exchange; routing key = stage. */
  work: 'posflow.work',
  /** Direct exchange for dead letters; routing key = stage. */
  dead: 'posflow.dead',
  /** Direct exchange for delayed retries; routing key = `<stage>.<delayMs>`. */
  retry: 'posflow.retry',
});

export const Queues = Object.freeze({
  work: (stage: Stage) => `posflow.${stage}`,
  dead: (stage: Stage) => `posflow.${stage}.dead`,
  retry: (stage: Stage, delayMs: number) => `posflow.${stage}.retry.${delayMs}`,
});

/** Our own headers (we do not rely on x-death, whose shape changed across RabbitMQ versions). */
export const Headers = Object.freeze({
  attempt: 'x-posflow-attempt',
  deadReason: 'x-posflow-dead-reason',
  deadKind: 'x-posflow-dead-kind',
});
