import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  Collections,
  Headers,
  ImportRequestedV1,
  Queues,
  partitionId,
  type PartitionDoc,
  type PartitionKey,
} from '@posflow/contracts';
import { DroppedRowsRepository, MonitorRepository, PartitionsRepository } from '@posflow/dal';
import { createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import {
  HAVE_FIXTURES,
  NO_FIXTURES_REASON,
  QueueProbe,
  fixtureGroup,
  legacyOutput,
  readArtifact,
  referenceHeader,
  seedPartition,
  startInProcessCombiner,
  testEnv,
  until,
  type InProcessCombiner,
  type RawFile,
} from './testing/harness.js';

if (!HAVE_FIXTURES) console.warn(`combiner integration tests ${NO_FIXTURES_REASON}`);

const IMPORT_QUEUE = Queues.work('import');
const COMBINE_DEAD = Queues.dead('combine');

/** A fixture group's files moved to another POS number (a fresh partition with the same content). */
function asPos(files: readonly RawFile[], pos: number, edit?: (f: RawFile) => RawFile): RawFile[] {
  return files.map((f) => {
    const moved = { ...f, name: f.name.replace(/^a_([A-Z0-9-]+)_\d_/, `a_$1_${pos}_`) };
    return edit ? edit(moved) : moved;
  });
}

/** The first line where two texts differ (null when identical): a readable failure instead of a megabyte diff. */
function firstDifference(got: string, want: string): { line: number; got?: string; want?: string } | null {
  if (got === want) return null;
  const a = got.split('\n');
  const b = want.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return { line: i + 1, got: a[i], want: b[i] };
  return { line: -1 };
}

describe.skipIf(!HAVE_FIXTURES)('combiner service on the real broker and database', () => {
  let vhost: TestVhost;
  let combiner: InProcessCombiner;
  let probe: QueueProbe;
  let partitions: PartitionsRepository;
  const imports: ImportRequestedV1[] = [];
  const deadLetters: Array<{ body: unknown; headers: Record<string, unknown> }> = [];

  /** Moves every import request from the queue into `imports` (they are read exactly once). */
  async function collectImports(): Promise<ImportRequestedV1[]> {
    for (const m of await probe.drain(IMPORT_QUEUE)) imports.push(ImportRequestedV1.parse(m.body));
    return imports;
  }

  async function waitStatus(key: PartitionKey, ...statuses: string[]): Promise<PartitionDoc> {
    return until(`${partitionId(key)} in ${statuses.join('|')}`, async () => {
      const doc = await partitions.get(key);
      return doc && statuses.includes(doc.status) ? doc : undefined;
    });
  }

  async function waitImport(key: PartitionKey, generation: number): Promise<ImportRequestedV1> {
    return until(`import request for ${partitionId(key)} g${generation}`, async () =>
      (await collectImports()).find(
        (m) => partitionId(m.payload.partition) === partitionId(key) && m.payload.generation === generation,
      ),
    );
  }

  function importsFor(key: PartitionKey): ImportRequestedV1[] {
    return imports.filter((m) => partitionId(m.payload.partition) === partitionId(key));
  }

  beforeAll(async () => {
    vhost = await createTestVhost('posflow-combiner');
    combiner = await startInProcessCombiner(testEnv(vhost.amqpUrl, testMongoUrl('posflow_combiner').url));
    probe = await QueueProbe.connect(vhost.amqpUrl);
    partitions = new PartitionsRepository(combiner.mongo.db);
  });
  afterAll(async () => {
    await probe?.close();
    const db = combiner?.mongo.db;
    await db?.dropDatabase().catch(() => undefined);
    await combiner?.stop();
    await vhost?.drop();
  });

  test.each(['BMC_1_2026-02-09', 'BETA_1_2026-02-09', 'AYALA-FRN_1_2025-10-08'])(
    '%s: the artifact renders byte for byte as the legacy output, and one import request names it',
    async (group) => {
      const { key, files } = fixtureGroup(group);
      await seedPartition(combiner.mongo, key, files, { jobId: `job-${group}` });
      const sent = await probe.publishCombine(key, { jobId: `job-${group}` });

      const doc = await waitStatus(key, 'combined');
      const request = await waitImport(key, doc.claimedGeneration);
      const rows = await readArtifact(combiner.mongo, request.payload.artifactId);
      const rendered = [referenceHeader(), ...rows.map((r) => r.legacy)].join('\n') + '\n';
      expect(firstDifference(rendered, legacyOutput(group))).toBeNull();
      expect(Buffer.from(rendered).equals(Buffer.from(legacyOutput(group)))).toBe(true);

      expect(request.payload).toMatchObject({
        jobId: `job-${group}`,
        generation: 1,
        rows: rows.length,
        dropped: 0,
        sourceHash: doc.sourceHash,
      });
      expect(request.payload.sources.map((s) => s.type)).toEqual([
        'rd5000',
        'rd5500',
        'rd1800',
        'discount',
        'rd5800',
        'rd5900',
        'blpr',
      ]);
      expect(importsFor(key)).toHaveLength(1);
      expect(doc).toMatchObject({ status: 'combined', rowsDropped: 0, claimedGeneration: 1 });

      const meta = await combiner.mongo.db
        .collection(`${Collections.artifactBucket}.files`)
        .findOne({ filename: `${partitionId(key)}.g1.ndjson.gz` });
      expect(meta?.metadata).toMatchObject({
        partitionId: partitionId(key),
        generation: 1,
        rows: rows.length,
        dropped: 0,
        requestId: sent.id,
        published: true,
      });
    },
  );

  test('dropped rows become monitor entries with samples and are all kept in droppedrows', async () => {
    const { files } = fixtureGroup('BMC_1_2026-02-09');
    const key = { branch: 'BMC', pos: 2, date: '2026-02-09' };
    const rd5000 = files.find((f) => f.type === 'rd5000')!.bytes.toString('utf8');
    const good = rd5000.split('\n')[1]!;
    const wrongDate = good.replaceAll('2026-02-09', '2026-02-08');
    const badHour = good.replace(',07:25,', ',7:25,');
    expect(badHour).not.toBe(good);
    const extra = [wrongDate, wrongDate, badHour].join('\n') + '\n';
    const edited = asPos(files, 2, (f) =>
      f.type === 'rd5000' ? { ...f, bytes: Buffer.from(rd5000 + extra), dataRows: undefined } : f,
    );
    const lines = (rd5000 + extra).split('\n').length - 1;
    await seedPartition(combiner.mongo, key, edited);
    await probe.publishCombine(key);

    const doc = await waitStatus(key, 'combined');
    const request = await waitImport(key, doc.claimedGeneration);
    expect(request.payload.dropped).toBe(3);
    expect(doc.rowsDropped).toBe(3);
    expect(request.payload.rows).toBe(lines - 1 - 3);

    const monitor = new MonitorRepository(combiner.mongo.db);
    const entries = await monitor.list({ branch: 'BMC', pos: 2, date: '2026-02-09', kind: 'dropped-rows' });
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey['date-mismatch']?.count).toBe(2);
    expect(byKey['date-mismatch']?.samples?.map((s) => s.line)).toEqual([lines - 2, lines - 1]);
    expect(byKey['date-mismatch']?.samples?.[0]?.raw).toBe(wrongDate);
    expect(byKey['bad-hour']?.count).toBe(1);

    const kept = await new DroppedRowsRepository(combiner.mongo.db).forPartition(key);
    expect(kept.map((d) => [d.generation, d.line, d.reason, d.raw])).toEqual([
      [1, lines - 2, 'date-mismatch', wrongDate],
      [1, lines - 1, 'date-mismatch', wrongDate],
      [1, lines, 'bad-hour', badHour],
    ]);

    // A re-combine (same raw files, no fetch) claims generation 2 and replaces, never adds.
    await probe.publishCombine(key, { reason: 'recombine' });
    await waitImport(key, 2);
    const again = await monitor.list({ branch: 'BMC', pos: 2, date: '2026-02-09', kind: 'dropped-rows' });
    expect(again.find((e) => e.key === 'date-mismatch')?.count).toBe(2);
    const keptAgain = await new DroppedRowsRepository(combiner.mongo.db).forPartition(key);
    expect(keptAgain.map((d) => d.generation)).toEqual([2, 2, 2]);
    expect(importsFor(key).map((m) => m.payload.generation)).toEqual([1, 2]);
  });

  test('a partition without rd5000 is combined with no rows and monitor entries, not a crash', async () => {
    const { files } = fixtureGroup('BETA_1_2026-02-09');
    const key = { branch: 'BETA', pos: 2, date: '2026-02-09' };
    await seedPartition(
      combiner.mongo,
      key,
      asPos(files, 2).filter((f) => f.type !== 'rd5000' && f.type !== 'blpr'),
    );
    await probe.publishCombine(key);
    const doc = await waitStatus(key, 'combined');
    const request = await waitImport(key, doc.claimedGeneration);
    expect(request.payload).toMatchObject({ rows: 0, dropped: 1 });
    expect(await readArtifact(combiner.mongo, request.payload.artifactId)).toEqual([]);
    const entries = await new MonitorRepository(combiner.mongo.db).list({ branch: 'BETA', pos: 2 });
    expect(entries.map((e) => `${e.kind}:${e.key}`).sort()).toEqual([
      'dropped-rows:missing-rd5000',
      'missing-file-type:blpr',
      'missing-file-type:rd5000',
    ]);
  });

  test('poison files are dead-lettered with the reason, the partition fails, and the worker carries on', async () => {
    const { files } = fixtureGroup('SIPOCOT_1_2026-02-09');
    const rd5500 = files.find((f) => f.type === 'rd5500')!.bytes;
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    const html = Buffer.from(
      '<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Session expired</body></html>\n',
    );
    const poisons: Array<[number, Buffer, RegExp]> = [
      [2, garbage, /NUL bytes|not UTF-8|expected rd5000 header/],
      [3, html, /HTML page/],
      [4, rd5500, /expected rd5000 header/],
    ];
    for (const [pos, bytes] of poisons) {
      const key = { branch: 'SIPOCOT', pos, date: '2026-02-09' };
      await seedPartition(
        combiner.mongo,
        key,
        asPos(files, pos, (f) => (f.type === 'rd5000' ? { ...f, bytes } : f)),
      );
      await probe.publishCombine(key);
    }
    const goodKey = { branch: 'SIPOCOT', pos: 5, date: '2026-02-09' };
    await seedPartition(combiner.mongo, goodKey, asPos(files, 5));
    await probe.publishCombine(goodKey);

    const dead = await until('three dead letters', async () => {
      const got = await probe.drain(COMBINE_DEAD);
      deadLetters.push(...got);
      return deadLetters.length >= 3 ? deadLetters : undefined;
    });
    const monitor = new MonitorRepository(combiner.mongo.db);
    for (const [pos, , reason] of poisons) {
      const key = { branch: 'SIPOCOT', pos, date: '2026-02-09' };
      const letter = dead.find(
        (d) => (d.body as { payload: { partition: PartitionKey } }).payload.partition.pos === pos,
      );
      expect(String(letter?.headers[Headers.deadReason])).toMatch(reason);
      expect(String(letter?.headers[Headers.deadReason])).toMatch(/poison rd5000 file a_SIPOCOT_\d_rd5000/);
      const doc = await waitStatus(key, 'failed');
      expect(doc.failure).toMatchObject({ stage: 'combine' });
      expect(doc.failure?.reason).toMatch(reason);
      const entry = (await monitor.list({ branch: 'SIPOCOT', pos, kind: 'partition-failed' }))[0];
      expect(entry?.detail).toMatch(reason);
      expect(importsFor(key)).toHaveLength(0);
    }
    const good = await waitStatus(goodKey, 'combined');
    const request = await waitImport(goodKey, good.claimedGeneration);
    expect(request.payload.rows).toBe(58);
    const artifacts = await combiner.mongo.db
      .collection(`${Collections.artifactBucket}.files`)
      .countDocuments({ 'metadata.partitionId': { $regex: '^SIPOCOT_[234]_' } });
    expect(artifacts).toBe(0);
  });

  test('the same combine request delivered again never claims a second generation for it', async () => {
    const { files } = fixtureGroup('B-SMS_1_2026-02-09');
    const key = { branch: 'B-SMS', pos: 2, date: '2026-02-09' };
    await seedPartition(combiner.mongo, key, asPos(files, 2));
    const first = await probe.publishCombine(key);
    await waitImport(key, 1);
    // A duplicate after the import was requested, the partition still `combined` (no importer here):
    // recognised by its message id, it asks for the same import again (same message id), no new combine.
    await probe.publishCombine(key, { message: first });
    // A redelivery after a crash mid-combine: the crashed run had moved the partition to `combining`
    // and claimed generation 1, and published nothing. The new delivery claims 2 and finishes.
    const key2 = { branch: 'B-SMS', pos: 3, date: '2026-02-09' };
    await seedPartition(combiner.mongo, key2, asPos(files, 3));
    await partitions.transition(key2, ['fetched'], 'combining');
    expect(await partitions.claimGeneration(key2)).toBe(1);
    await probe.publishCombine(key2);
    await waitStatus(key2, 'combined');
    await waitImport(key2, 2);
    // One more request, waited for: with prefetch 2 and a FIFO queue, the duplicate above is settled by then.
    const sentinel = { branch: 'B-SMS', pos: 4, date: '2026-02-09' };
    await seedPartition(combiner.mongo, sentinel, asPos(files, 4));
    await probe.publishCombine(sentinel);
    await waitImport(sentinel, 1);
    await collectImports();

    expect(importsFor(key).map((m) => m.payload.generation)).toEqual([1, 1]);
    expect(new Set(importsFor(key).map((m) => m.id)).size).toBe(1);
    expect((await partitions.get(key))?.claimedGeneration).toBe(1);
    expect(importsFor(key2).map((m) => m.payload.generation)).toEqual([2]);
    expect((await partitions.get(key2))?.claimedGeneration).toBe(2);
  });
});
