import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs: a fixed message plus fields (STYLE.md §8). Child
 * loggers add `messageId` and `partition`. Secrets and phone numbers are
 * redacted wherever they appear under these keys.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'password',
        '*.password',
        'apiKey',
        '*.apiKey',
        'authorization',
        '*.authorization',
        'phone',
        '*.phone',
      ],
      censor: '[redacted]',
    },
    formatters: { level: (label) => ({ level: label }) },
  });
}
