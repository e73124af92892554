import type { EnqueueResult, JobProgressView, MissingScanResult } from '@posflow/contracts';
import { manilaYesterday, addDays } from '../domain/dates.js';
import { readEvents, type ApiClient } from './api-client.js';
import { exitCodeFor, progressLine, summary } from './progress.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Stream for exports (stdout). */
  write: (chunk: Uint8Array) => Promise<void>;
  isTTY: boolean;
  now: () => Date;
}

const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

export async function backfill(api: ApiClient, io: Io, o: Record<string, string | boolean | undefined>): Promise<number> {
  const r = await api.request<EnqueueResult>('POST', '/fetch/range', {
    from: o.from,
    to: o.to,
    ...(o.branches ? { branches: list(String(o.branches)) } : {}),
    ...(o.pos ? { pos: list(String(o.pos))?.map(Number) } : {}),
    force: o.force === true,
  });
  io.out(`job ${r.jobId}: ${r.partitions} partitions, ${r.enqueued} enqueued, ${r.skipped} skipped ${JSON.stringify(r.skippedBy)}`);
  return o.watch ? watch(api, io, r.jobId) : 0;
}

export async function daily(api: ApiClient, io: Io, o: Record<string, string | boolean | undefined>): Promise<number> {
  const date = typeof o.date === 'string' ? o.date : manilaYesterday(io.now());
  const rescan = Number(o['rescan-days'] ?? 7);
  const r = await api.request<EnqueueResult>('POST', '/fetch/range', { from: date, to: date, kind: 'daily' });
  io.out(`daily ${date}: job ${r.jobId}, ${r.enqueued} enqueued, ${r.skipped} skipped`);
  if (rescan > 0) {
    const scan = await api.request<MissingScanResult>('POST', '/missing/scan', {
      from: addDays(date, -rescan),
      to: addDays(date, -1),
      enqueue: true,
    });
    io.out(`rescan of the ${rescan} days before: ${scan.missing} missing${scan.job ? `, job ${scan.job.jobId}, ${scan.job.enqueued} enqueued` : ''}, ${scan.empty.length} empty`);
  }
  return o.watch ? watch(api, io, r.jobId) : 0;
}

export async function missing(api: ApiClient, io: Io, o: Record<string, string | boolean | undefined>): Promise<number> {
  const scan = await api.request<MissingScanResult>('POST', '/missing/scan', {
    from: o.from,
    to: o.to,
    ...(o.branches ? { branches: list(String(o.branches)) } : {}),
    enqueue: o.enqueue === true,
  });
  io.out(JSON.stringify({ branches_missing: scan.branches_missing, empty: scan.empty, job: scan.job }, null, 2));
  return 0;
}

export async function status(api: ApiClient, io: Io, jobId: string | undefined, o: Record<string, string | boolean | undefined>): Promise<number> {
  if (!jobId) {
    const { items } = await api.request<{ items: Array<{ id: string; kind: string; status: string; total: number; createdAt: string }> }>('GET', '/jobs?limit=20');
    for (const j of items) io.out(`${j.id}  ${j.kind.padEnd(9)} ${j.status.padEnd(9)} ${String(j.total).padStart(6)}  ${j.createdAt}`);
    return 0;
  }
  if (o.watch) return watch(api, io, jobId);
  const v = await api.request<JobProgressView>('GET', `/jobs/${encodeURIComponent(jobId)}`);
  io.out(summary(v));
  return 0;
}

/** Follows the job's event stream: a live bar on a terminal, a line per change otherwise; a summary at the end. */
export async function watch(api: ApiClient, io: Io, jobId: string): Promise<number> {
  const res = await api.stream(`/jobs/${encodeURIComponent(jobId)}/events`);
  let last = '';
  for await (const ev of readEvents(res)) {
    const v = JSON.parse(ev.data) as JobProgressView;
    const line = progressLine(v);
    if (ev.event === 'end') {
      if (io.isTTY) io.err(`\r${line}\n`);
      io.out(summary(v));
      return exitCodeFor(v.status);
    }
    if (line !== last) io.err(io.isTTY ? `\r${line}` : `${line}\n`);
    last = line;
  }
  io.err('\nevent stream ended before the job finished\n');
  return 1;
}

export async function exportCsv(api: ApiClient, io: Io, o: Record<string, string | boolean | undefined>): Promise<number> {
  const q = new URLSearchParams();
  for (const k of ['branch', 'pos', 'date', 'from', 'to'] as const) {
    const v = o[k];
    if (typeof v === 'string') q.set(k, v);
  }
  const path = o.typed ? `/export/transactions.csv?${q.toString()}` : `/export/legacy?${q.toString()}`;
  const res = await api.stream(path);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) await io.write(chunk);
  return 0;
}
