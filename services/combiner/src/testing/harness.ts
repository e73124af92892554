// Test-only helpers for the combiner's integration tests (excluded from the build).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import amqp, { type ChannelModel } from 'amqplib';
import {
  Collections,
  parseExportFileName,
  ParsedRow,
  type FileType,
  type PartitionKey,
  type PartitionStatus,
} from '@posflow/contracts';
import { ensureCoreIndexes, FileRecordsRepository, PartitionsRepository } from '@posflow/dal';
import {
  AmqpClient,
  FileStore,
  StageConsumer,
  connectMongo,
  createLogger,
  createRegistry,
  makeMessage,
  type MongoHandle,
  type Registry,
} from '@posflow/runtime';
import { createCombinerService, type CombinerService } from '../combiner.service.js';
import { Env } from '../env.js';

/** services/combiner/src/testing → the repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const SHARED_FIXTURES = join(REPO_ROOT, '..', 'shared', 'fixtures');
export const HAVE_FIXTURES = existsSync(join(SHARED_FIXTURES, 'pos-exports'));
export const NO_FIXTURES_REASON = `skipped: ${SHARED_FIXTURES} is absent (the shared fixtures are not in the repo)`;
export const REFERENCE_DIR = join(SHARED_FIXTURES, 'reference');

/** Env for a test combiner: short retries so failures settle quickly. */
export function testEnv(
  amqpUrl: string,
  mongoUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AMQP_URL: amqpUrl,
    MONGO_URL: mongoUrl,
    REFERENCE_DIR,
    TMP_DIR: join(REPO_ROOT, '.posflow', 'tmp', 'combiner-test'),
    RETRY_DELAYS_MS: '200,400',
    MAX_ATTEMPTS: '3',
    PREFETCH: '2',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...extra,
  };
}

export interface InProcessCombiner {
  service: CombinerService;
  registry: Registry;
  mongo: MongoHandle;
  stop(): Promise<void>;
}

/** The combiner in this process, with its own broker connection and database client. */
export async function startInProcessCombiner(env: Record<string, string>): Promise<InProcessCombiner> {
  const config = Env.parse(env);
  const logger = createLogger('combiner-test', config.LOG_LEVEL);
  const registry = createRegistry('combiner');
  const mongo = await connectMongo(config.MONGO_URL, logger);
  await ensureCoreIndexes(mongo.db);
  const client = new AmqpClient({
    url: config.AMQP_URL,
    logger,
    connectionName: 'combiner-test',
    topology: { retryDelaysMs: config.RETRY_DELAYS_MS, deliveryLimit: config.DELIVERY_LIMIT },
  });
  await client.start();
  const service = await createCombinerService({ db: mongo.db, publisher: client, logger, registry, config });
  const consumer = new StageConsumer(client, 'combine', service.handler, {
    prefetch: config.PREFETCH,
    maxAttempts: config.MAX_ATTEMPTS,
    retryDelaysMs: config.RETRY_DELAYS_MS,
    logger,
    onDeadLetter: service.onDeadLetter,
  });
  await consumer.start();
  return {
    service,
    registry,
    mongo,
    stop: async () => {
      await consumer.stop(5_000);
      await service.close();
      await client.close();
      await mongo.close();
    },
  };
}

export interface RawFile {
  name: string;
  type: FileType;
  bytes: Buffer;
  /** Data rows (lines after the header), as the fetcher records them. */
  dataRows?: number;
}

/** The seven files of a fixture group, e.g. `BMC_1_2026-02-09`, as the fetcher would have stored them. */
export function fixtureGroup(group: string): { key: PartitionKey; files: RawFile[] } {
  const dir = join(SHARED_FIXTURES, 'pos-exports');
  const files: RawFile[] = [];
  let key: PartitionKey | undefined;
  for (const name of readdirSync(dir).sort()) {
    const f = parseExportFileName(name);
    if (!f || `${f.branch}_${f.pos}_${f.date}` !== group) continue;
    key = { branch: f.branch, pos: f.pos, date: f.date };
    files.push({ name, type: f.type, bytes: readFileSync(join(dir, name)) });
  }
  if (!key) throw new Error(`no fixture group ${group}`);
  return { key, files };
}

export function legacyOutput(group: string): string {
  return readFileSync(join(SHARED_FIXTURES, 'legacy-output', `${group}.csv`), 'utf8');
}

export function referenceHeader(): string {
  return readFileSync(join(REFERENCE_DIR, 'aaa_headers.csv'), 'utf8').replace(/\r?\n$/, '');
}

function countDataRows(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  const endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
  return Math.max(0, (endsWithNewline ? n : n + 1) - 1);
}

/**
 * What the fetcher leaves behind: raw files in GridFS, FileRecords (chosen
 * unless `chosen: false`) and the partition in `status` (default `fetched`).
 */
export async function seedPartition(
  mongo: MongoHandle,
  key: PartitionKey,
  files: readonly RawFile[],
  opts: { chosen?: boolean; status?: PartitionStatus; jobId?: string } = {},
): Promise<void> {
  const store = new FileStore(mongo.db, Collections.rawBucket);
  const records = new FileRecordsRepository(mongo.db);
  const parts = new PartitionsRepository(mongo.db);
  await parts.register([key], opts.jobId);
  for (const f of files) {
    const parsed = parseExportFileName(f.name);
    const stored = await store.upload(f.name, Readable.from([f.bytes]), { partition: key, type: f.type });
    await records.insertIfNew({
      _id: FileRecordsRepository.idFor(key, f.name, stored.sha256),
      ...key,
      type: f.type,
      upstreamPath: `uploads/${f.name}`,
      name: f.name,
      sendTime: parsed?.sendTime ?? '',
      size: stored.size,
      dataRows: f.dataRows ?? countDataRows(f.bytes),
      sha256: stored.sha256,
      gridfsId: stored.id.toHexString(),
      source: 'upstream',
      fetchedAt: new Date(),
      status: opts.chosen === false ? 'stored' : 'chosen',
    });
  }
  await parts.transition(key, ['pending'], 'fetching');
  await parts.transition(key, ['fetching'], 'fetched', { files: files.length });
  if (opts.status && opts.status !== 'fetched')
    await parts.col.updateOne(
      { _id: `${key.branch}_${key.pos}_${key.date}` },
      { $set: { status: opts.status } },
    );
}

/** A raw broker connection for publishing requests and reading queues exactly (no management-API lag). */
export class QueueProbe {
  private constructor(private readonly conn: ChannelModel) {}

  static async connect(amqpUrl: string): Promise<QueueProbe> {
    return new QueueProbe(await amqp.connect(amqpUrl));
  }

  /** Publishes a combine request; pass `message` to publish the very same envelope again (a duplicate). */
  async publishCombine(
    key: PartitionKey,
    opts: { jobId?: string; reason?: 'fetched' | 'recombine'; message?: { id: string } } = {},
  ): Promise<{ id: string }> {
    const msg =
      opts.message ??
      makeMessage('combine.requested', 1, {
        partition: key,
        reason: opts.reason ?? 'fetched',
        ...(opts.jobId ? { jobId: opts.jobId } : {}),
      });
    const ch = await this.conn.createConfirmChannel();
    ch.publish('posflow.work', 'combine', Buffer.from(JSON.stringify(msg)), {
      persistent: true,
      messageId: msg.id,
      contentType: 'application/json',
    });
    await ch.waitForConfirms();
    await ch.close();
    return msg;
  }

  async depth(queue: string): Promise<number> {
    const ch = await this.conn.createChannel();
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Takes every message from a queue (acked). */
  async drain(queue: string): Promise<Array<{ body: unknown; headers: Record<string, unknown> }>> {
    const ch = await this.conn.createChannel();
    const out: Array<{ body: unknown; headers: Record<string, unknown> }> = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) break;
      out.push({
        body: JSON.parse(m.content.toString()) as unknown,
        headers: (m.properties.headers ?? {}) as Record<string, unknown>,
      });
    }
    await ch.close();
    return out;
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The parsed artifact's rows, read back from GridFS. */
export async function readArtifact(mongo: MongoHandle, id: string): Promise<ParsedRow[]> {
  const chunks: Buffer[] = [];
  for await (const c of new FileStore(mongo.db, Collections.artifactBucket).download(id))
    chunks.push(c as Buffer);
  const text = gunzipSync(Buffer.concat(chunks)).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => ParsedRow.parse(JSON.parse(l)));
}
