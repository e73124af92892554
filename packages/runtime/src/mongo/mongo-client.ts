import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, MongoServerError, type Db, type IndexDescription } from 'mongodb';
import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';

export interface MongoHandle {
  client: MongoClient;
  db: Db;
  /** True when a ping succeeds (used by /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * One client per process. The driver reconnects by itself; we only retry the
 * first connect so a service can start before its database.
 */
export async function connectMongo(
  url: string,
  logger: Logger,
  opts: { retryForMs?: number } = {},
): Promise<MongoHandle> {
  const deadline = Date.now() + (opts.retryForMs ?? 120_000);
  let delay = 500;
  for (;;) {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: 5_000,
      connectTimeoutMS: 5_000,
      retryWrites: false, // FerretDB 1.x has no retryable writes; our writes are idempotent instead
      appName: 'posflow',
    });
    try {
      await client.connect();
      const db = client.db();
      await db.command({ ping: 1 });
      logger.info({ db: db.databaseName }, 'database connected');
      return {
        client,
        db,
        ping: async () => {
          try {
            await db.command({ ping: 1 }, { timeoutMS: 2_000 });
            return true;
          } catch {
            return false;
          }
        },
        close: () => client.close(),
      };
    } catch (err) {
      await client.close().catch(() => undefined);
      if (Date.now() > deadline) throw err;
      logger.warn({ err: errorMessage(err), retryInMs: delay }, 'database connection failed');
      await sleep(delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

/**
 * Creates the indexes a service relies on (idempotent). One `createIndexes`
 * command per index: FerretDB 1.24 panics (and drops the connection) when a
 * single command lists several indexes that already exist, which is exactly
 * what every service does at start against a shared database. An index
 * whose key already exists under another name (85), or whose name exists with
 * another key (86), was created by another service: accepted.
 */
export async function ensureIndexes(db: Db, spec: Record<string, IndexDescription[]>): Promise<void> {
  for (const [collection, indexes] of Object.entries(spec)) {
    for (const index of indexes) {
      try {
        await db.collection(collection).createIndexes([index]);
      } catch (err) {
        if (!(err instanceof MongoServerError) || !EQUIVALENT_INDEX_EXISTS.has(Number(err.code))) throw err;
      }
    }
  }
}

const EQUIVALENT_INDEX_EXISTS = new Set([85, 86]);
