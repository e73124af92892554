import { Readable } from 'node:stream';
import { describe, expect, test, vi } from 'vitest';
import type { DroppedRow, FileRecordDoc, ParsedRow, PartitionDoc, PartitionStatus } from '@posflow/contracts';
import { createLogger, createRegistry, makeMessage, PermanentError, TransientError } from '@posflow/runtime';
import { createCombineMetrics } from './adapters/combine.metrics.js';
import { createCombinePartitionHandler, type CombinePartitionDeps } from './combine-partition.handler.js';
import type { CombineEnginePort } from './domain/combine-engine.port.js';
import { PoisonFileError } from './domain/poison-file.js';

const key = { branch: 'BMC', pos: 1, date: '2026-02-09' };
const HEADER = 'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,ITE_CODE,QUANTITY\n';
const logger = createLogger('t', 'silent');
const ctx = { attempt: 0, redelivered: false, logger, signal: new AbortController().signal };

function record(type: FileRecordDoc['type'], gridfsId: string): FileRecordDoc {
  return {
    _id: `${type}-id`,
    ...key,
    type,
    upstreamPath: `x/${type}`,
    name: `a_BMC_1_${type}_2026-02-09_20-00_.csv`,
    sendTime: '20-00',
    size: 10,
    dataRows: 1,
    sha256: `sha-${type}`,
    gridfsId,
    source: 'upstream',
    fetchedAt: new Date(),
    status: 'chosen',
  };
}

/** An engine that reads the rd5000 source whole and yields one row per data line, dropping lines that say DROP. */
const fakeEngine: CombineEnginePort<unknown> = {
  async *combine(req) {
    const src = req.sources.find((s) => s.type === 'rd5000');
    if (!src) return;
    let text = '';
    for await (const c of src.open()) text += String(c);
    const lines = text.split('\n').filter((l) => l !== '');
    for (let i = lines.length - 1; i >= 1; i--) {
      const line = lines[i] as string;
      if (line.includes('DROP')) {
        const d: DroppedRow = { reason: 'date-mismatch', file: src.name, line: i + 1, raw: line };
        req.onDropped(d);
      } else yield { line: i + 1, legacy: line } as ParsedRow;
    }
  },
};

function setup(
  opts: {
    status?: PartitionStatus;
    claimedGeneration?: number;
    casCombined?: boolean;
    /** An artifact of generation 2 built for this request before (its import request published or not). */
    previous?: 'published' | 'unpublished';
    raw?: string;
  } = {},
) {
  const doc = {
    _id: 'BMC_1_2026-02-09',
    ...key,
    status: opts.status ?? 'fetched',
    claimedGeneration: opts.claimedGeneration ?? 2,
    jobIds: [],
  } as unknown as PartitionDoc;
  const combinable = ['fetched', 'loaded', 'stale', 'failed', 'combined', 'combining'].includes(doc.status);
  const published: unknown[] = [];
  const deps: CombinePartitionDeps<unknown> = {
    partitions: {
      get: vi.fn(async () => doc),
      transition: vi.fn(async (_k, _from, to) => {
        if (to === 'combining') return combinable ? doc : null;
        return opts.casCombined === false ? null : doc;
      }),
      claimGeneration: vi.fn(async () => 3),
    },
    fileRecords: {
      chosen: vi.fn(async () => [record('rd1800', 'b'), record('rd5000', 'a')]),
      forPartition: vi.fn(async () => []),
      markChosen: vi.fn(async () => undefined),
    },
    monitor: {
      recordAbsolute: vi.fn(async () => undefined),
      list: vi.fn(async () => []),
      resolve: vi.fn(async () => true),
    },
    droppedRows: {
      insertBatch: vi.fn(async () => undefined),
      deleteOlderThan: vi.fn(async () => 0),
      deleteGeneration: vi.fn(async () => 0),
    },
    artifacts: {
      forRequest: vi.fn(async () =>
        opts.previous
          ? {
              id: 'f'.repeat(24),
              generation: 2,
              rows: 5,
              dropped: 1,
              published: opts.previous === 'published',
            }
          : null,
      ),
      write: vi.fn(async (_m, rows: AsyncIterable<ParsedRow>) => {
        let n = 0;
        for await (const _ of rows) n++;
        return { id: 'a'.repeat(24), rows: n, size: 1, sha256: 'x' };
      }),
      finish: vi.fn(async () => undefined),
      markPublished: vi.fn(async () => undefined),
      delete: vi.fn(async () => undefined),
    },
    rawFiles: { download: () => Readable.from([Buffer.from(opts.raw ?? `${HEADER}1,a\n2,DROP\n3,b\n`)]) },
    engine: fakeEngine,
    chooseFiles: (c) => [...c],
    reference: () => ({}),
    publisher: { publish: vi.fn(async (_s, m: { id: string }) => void published.push(m)) },
    metrics: createCombineMetrics(createRegistry('t')),
    tmpDir: '/tmp',
    droppedRowsBatch: 10,
  };
  return { deps, published, handler: createCombinePartitionHandler(deps) };
}

const msg = () =>
  makeMessage('combine.requested', 1, { partition: key, reason: 'fetched' as const, jobId: 'j1' });

describe('combine partition handler', () => {
  test('combines, records drops and missing types, then asks for exactly one import of its generation', async () => {
    const { deps, published, handler } = setup();
    expect(await handler(msg(), ctx)).toEqual({ action: 'ack' });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      id: 'import:BMC_1_2026-02-09:g3',
      type: 'import.requested',
      payload: {
        partition: key,
        jobId: 'j1',
        generation: 3,
        rows: 2,
        dropped: 1,
        artifactId: 'a'.repeat(24),
      },
    });
    const payload = (published[0] as { payload: { sources: Array<{ type: string }> } }).payload;
    expect(payload.sources.map((s) => s.type)).toEqual(['rd5000', 'rd1800']);
    expect(deps.partitions.transition).toHaveBeenLastCalledWith(
      key,
      ['combining'],
      'combined',
      expect.objectContaining({ rowsDropped: 1 }),
      { claimedGeneration: 3 },
    );
    expect(deps.droppedRows.insertBatch).toHaveBeenCalledWith(key, 3, 0, [
      expect.objectContaining({ line: 3 }),
    ]);
    const kinds = vi.mocked(deps.monitor.recordAbsolute).mock.calls.map(([e]) => `${e.kind}:${e.key}`);
    expect(kinds).toEqual([
      'missing-file-type:rd5500',
      'missing-file-type:discount',
      'missing-file-type:rd5800',
      'missing-file-type:rd5900',
      'missing-file-type:blpr',
      'dropped-rows:date-mismatch',
    ]);
    expect(deps.artifacts.markPublished).toHaveBeenCalled();
  });

  test('a run whose generation was overtaken discards its output and publishes nothing', async () => {
    const { deps, published, handler } = setup({ casCombined: false, claimedGeneration: 4 });
    expect(await handler(msg(), ctx)).toEqual({ action: 'ack' });
    expect(published).toHaveLength(0);
    expect(deps.artifacts.delete).toHaveBeenCalledWith('a'.repeat(24));
    expect(deps.droppedRows.deleteGeneration).toHaveBeenCalledWith(key, 3);
  });

  test('a run whose own claim was undone by a concurrent write discards its output and is retried', async () => {
    // The partition went back to `fetched` with the claim of generation 3 gone (FerretDB lost update).
    const { deps, published, handler } = setup({ casCombined: false, claimedGeneration: 2 });
    await expect(handler(msg(), ctx)).rejects.toMatchObject({ name: 'TransientError', kind: 'claim-lost' });
    expect(published).toHaveLength(0);
    expect(deps.artifacts.delete).toHaveBeenCalledWith('a'.repeat(24));
  });

  test('a duplicate of a request already handed to the importer is acked without work once the partition moved on', async () => {
    for (const status of ['importing', 'loaded', 'combining'] as const) {
      const { deps, published, handler } = setup({ previous: 'published', status });
      expect(await handler(msg(), ctx)).toEqual({ action: 'ack' });
      expect(published).toHaveLength(0);
      expect(deps.partitions.transition).not.toHaveBeenCalled();
    }
  });

  test('a redelivered request whose partition still waits in combined asks for the same import again', async () => {
    for (const previous of ['published', 'unpublished'] as const) {
      const { deps, published, handler } = setup({ previous, status: 'combined', claimedGeneration: 2 });
      expect(await handler(msg(), ctx)).toEqual({ action: 'ack' });
      // The same message as the first run's: the importer loads generation 2 once however often it is asked.
      expect(published).toEqual([
        expect.objectContaining({
          id: 'import:BMC_1_2026-02-09:g2',
          payload: expect.objectContaining({
            artifactId: 'f'.repeat(24),
            generation: 2,
            rows: 5,
            dropped: 1,
          }),
        }),
      ]);
      expect(deps.partitions.transition).not.toHaveBeenCalled();
      expect(deps.artifacts.write).not.toHaveBeenCalled();
      expect(vi.mocked(deps.artifacts.markPublished).mock.calls.length).toBe(
        previous === 'published' ? 0 : 1,
      );
    }
  });

  test('a redelivered request whose first run never finished is combined again', async () => {
    // Generation 2 was written but the partition never got to `combined` with it (the run died).
    const { deps, published, handler } = setup({ previous: 'unpublished', status: 'combining' });
    expect(await handler(msg(), ctx)).toEqual({ action: 'ack' });
    expect(deps.artifacts.write).toHaveBeenCalled();
    expect(published).toEqual([expect.objectContaining({ id: 'import:BMC_1_2026-02-09:g3' })]);
  });

  test('a poison rd5000 fails permanently and leaves no dropped rows of its generation', async () => {
    const { deps, published, handler } = setup({ raw: '<!DOCTYPE html>\n<html></html>\n' });
    const err = await handler(msg(), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoisonFileError);
    expect(err).toBeInstanceOf(PermanentError);
    expect(published).toHaveLength(0);
    expect(deps.droppedRows.deleteGeneration).toHaveBeenCalledWith(key, 3);
  });

  test('where the partition is decides: importing → later, fetching → skip, unknown → permanent', async () => {
    await expect(setup({ status: 'importing' }).handler(msg(), ctx)).rejects.toBeInstanceOf(TransientError);
    expect(await setup({ status: 'fetching' }).handler(msg(), ctx)).toEqual({ action: 'ack' });
    const gone = setup({ status: 'pending' });
    vi.mocked(gone.deps.partitions.get).mockResolvedValue(null);
    await expect(gone.handler(msg(), ctx)).rejects.toBeInstanceOf(PermanentError);
  });
});
