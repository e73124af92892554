import busboy from 'busboy';
import { FilesQuery, UploadResult, type PartitionKey } from '@posflow/contracts';
import type { GatewayDeps } from '../deps.js';
import { ApiError, forbiddenBranches, notFound } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';
import type { StoredUpload, UploadOutcome, UploadService } from '../upload.service.js';

const MAX_FILES = 70;

export function registerFileRoutes(t: RouteTable, d: GatewayDeps, uploads: UploadService): void {
  t.add(
    {
      method: 'get',
      path: '/files',
      summary: 'Raw files stored for a partition (upstream and uploaded), with their status',
      tag: 'files',
      role: 'viewer',
      query: FilesQuery,
    },
    async ({ query, scope }) => {
      if (!scope.allows(query.branch)) throw forbiddenBranches([query.branch]);
      const key: PartitionKey = { branch: query.branch, pos: query.pos, date: query.date };
      return { items: (await d.fileRecords.forPartition(key)).map((f) => ({ ...f, id: f._id })) };
    },
  );

  t.add(
    {
      method: 'get',
      path: '/files/:id/raw',
      summary: 'Download a stored raw file (by FileRecord id)',
      tag: 'files',
      role: 'viewer',
      produces: 'text/csv',
    },
    async ({ params, scope, res }) => {
      const rec = await d.fileRecords.get(params.id ?? '');
      if (!rec || !scope.allows(rec.branch)) throw notFound(`file ${params.id}`);
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-length': String(rec.size),
        'content-disposition': `attachment; filename="${rec.name.replace(/"/g, '')}"`,
      });
      await new Promise<void>((resolve) => {
        const src = d.rawFiles.download(rec.gridfsId);
        src.once('error', (err) => {
          res.destroy(err);
          resolve();
        });
        res.once('close', () => {
          src.destroy();
          resolve();
        });
        src.pipe(res);
      });
      return undefined;
    },
  );

  t.add(
    {
      method: 'post',
      path: '/uploads',
      summary:
        "Upload a day's exports (multipart/form-data, one part per file, named as the POS names them); they are combined and imported as an upload job",
      tag: 'files',
      role: 'operator',
      multipart: true,
      response: UploadResult,
      status: 202,
    },
    async ({ req, scope, principal }) => {
      if (!req.is('multipart/form-data')) throw new ApiError(415, 'unsupported_media_type', 'send multipart/form-data');
      const outcomes = await readParts(req, d.settings.maxUploadBytes, (name, stream) =>
        uploads.store(name, stream, scope),
      );
      const stored = outcomes.flatMap((o) => (o.ok ? [o.file] : []));
      const rejected = outcomes.flatMap((o) => (o.ok ? [] : [{ name: o.name, problem: o.problem }]));
      if (outcomes.length === 0) throw new ApiError(400, 'no_files', 'the request holds no file parts');
      if (rejected.length > 0) {
        await uploads.discard(stored);
        throw new ApiError(400, 'invalid_upload', `${rejected.length} file(s) rejected: ${rejected[0]?.problem}`, rejected);
      }
      const busy = await uploads.busyPartitions(stored);
      if (busy.length > 0) {
        await uploads.discard(stored);
        throw new ApiError(409, 'partition_busy', `being processed right now: ${busy.join(', ')}; retry when done`, busy);
      }
      return uploads.submit(stored, principal.name);
    },
  );
}

/** Streams every file part through `store` in arrival order; resolves when the body is consumed. */
function readParts(
  req: import('express').Request,
  maxBytes: number,
  store: (name: string, stream: NodeJS.ReadableStream & import('node:stream').Readable) => Promise<UploadOutcome>,
): Promise<UploadOutcome[]> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: MAX_FILES, fields: 20 } });
    } catch (err) {
      reject(new ApiError(400, 'invalid_body', `invalid multipart body: ${(err as Error).message}`));
      return;
    }
    const pending: Array<Promise<UploadOutcome>> = [];
    bb.on('file', (_field, stream, info) => {
      const name = (info.filename ?? '').split(/[\\/]/).pop() ?? '';
      stream.once('limit', () => stream.destroy(new Error(`file larger than ${maxBytes} bytes`)));
      pending.push(
        store(name, stream).catch((err: unknown) => ({ ok: false as const, name, problem: (err as Error).message })),
      );
    });
    bb.once('error', (err) => reject(new ApiError(400, 'invalid_body', `invalid multipart body: ${(err as Error).message}`)));
    bb.once('close', () => {
      Promise.all(pending).then(resolve, reject);
    });
    req.pipe(bb);
  });
}

export type { StoredUpload };
