import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { giveBack, takeBuffer } from './buffer.pool.js';

/** Files up to this size are read in one call: a day's export is 0.1-2 MB, and a stream's machinery costs more than the read. */
const WHOLE_FILE_MAX = 8 * 1024 * 1024;

/**
 * A local file's bytes for the engine (a `ByteSource`): read only when
 * iterated, in `chunkBytes` pieces so a multi-GB rd5000 never sits in memory,
 * or in one piece when small. A small file is read synchronously: on a local
 * disk that is a few microseconds, where the promise round trips of an
 * async open/stat/read/close cost more CPU than the read itself (a folder run
 * reads thousands of them, on worker threads that have nothing else to do).
 * A chunk is only valid until the next one is asked for (the engine decodes
 * or copies each chunk before it reads on): the buffers are taken from the
 * thread's pool and handed back when the reading ends, so a folder run does
 * not leave hundreds of MB of file buffers outside the heap for V8 to collect.
 */
export async function* readFileChunks(path: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const whole = readWholeIfSmall(path);
  if (whole !== null) {
    try {
      if (whole.size > 0) yield whole.buffer.subarray(0, whole.size);
    } finally {
      giveBack(whole.buffer);
    }
    return;
  }
  const handle = await open(path, 'r');
  const chunk = takeBuffer(chunkBytes);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) return;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    giveBack(chunk);
    await handle.close();
  }
}

/** The file's bytes (in a pooled buffer) when it has at most WHOLE_FILE_MAX of them (one open, fstat, read, close), else null. */
function readWholeIfSmall(path: string): { buffer: Buffer; size: number } | null {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > WHOLE_FILE_MAX) return null;
    const buffer = takeBuffer(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, buffer, done, size - done, null);
      if (n === 0) break; // shrank since fstat: what is there
      done += n;
    }
    return { buffer, size: done };
  } finally {
    closeSync(fd);
  }
}
