import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The legacy Python client's fetch pattern, as a baseline for the fetch
 * benchmark (spec/upstream.md "What the legacy client did"): for each date
 * and branch, list POS 1 and POS 2 together (two requests at a time), then
 * download every listed file one by one (3 tries, 60 s timeout, 64 KiB
 * chunks) into a folder. No global cap, no breaker, no database.
 */
export interface LegacyTarget {
  branch: string;
  date: string;
  poses: number[];
}

export async function legacyFetch(
  baseUrl: string,
  targets: readonly LegacyTarget[],
  folder: string,
): Promise<{ partitions: number; files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let partitions = 0;
  await mkdir(folder, { recursive: true });
  for (const t of targets) {
    // POS 1 and POS 2 listed together, as the legacy client did.
    const lists = await Promise.all(
      t.poses.map((pos) => withTries(() => list(baseUrl, t.branch, pos, t.date))),
    );
    for (const paths of lists) {
      partitions += 1;
      for (const path of paths) {
        bytes += await withTries(() => download(baseUrl, path, folder));
        files += 1;
      }
    }
  }
  await rm(folder, { recursive: true, force: true });
  return { partitions, files, bytes };
}

async function list(baseUrl: string, branch: string, pos: number, date: string): Promise<string[]> {
  const res = await fetch(`${baseUrl}fetch_list2.php`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Mozilla/5.0',
      referer: baseUrl,
      origin: new URL(baseUrl).origin,
    },
    body: new URLSearchParams({ branch, pos: String(pos), date }).toString(),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok || /<!doctype html/i.test(text) || text.includes('An error occurred'))
    throw new Error(`list failed: ${res.status}`);
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

async function download(baseUrl: string, path: string, folder: string): Promise<number> {
  const res = await fetch(baseUrl + path, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok || !res.body) throw new Error(`download failed: ${res.status}`);
  const name = path.slice(path.lastIndexOf('/') + 1);
  let n = 0;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>, {
    highWaterMark: 64 * 1024,
  });
  body.on('data', (c: Buffer) => (n += c.length));
  await pipeline(body, createWriteStream(join(folder, name), { highWaterMark: 64 * 1024 }));
  return n;
}

async function withTries<T>(fn: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
    }
  }
}
