import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ParsedRow } from '@posflow/contracts';
import { PermanentError } from '@posflow/runtime';

export interface ArtifactRow {
  /** 1-based line of the artifact (for error messages). */
  n: number;
  row: ParsedRow;
}

/** A line that is not a valid ParsedRow: the artifact is poison, whatever the attempt. */
export class InvalidArtifactError extends PermanentError {
  override name = 'InvalidArtifactError';
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** Lines of a gzip text stream, decoded across chunk boundaries; backpressure comes from the consumer's pace. */
async function* gunzipLines(source: Readable): AsyncGenerator<string> {
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip) {
      const text = rest + decoder.write(chunk as Buffer);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } catch (err) {
    if (isZlibError(err))
      throw new InvalidArtifactError(`artifact is not valid gzip: ${(err as Error).message}`);
    throw err;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/**
 * Streams a parsed artifact (gzip NDJSON, one ParsedRow per line) and
 * validates every line. The first invalid line ends the stream with an
 * InvalidArtifactError naming its line number. Never holds more than one
 * decompressed chunk.
 */
export async function* artifactRows(source: Readable): AsyncGenerator<ArtifactRow> {
  let n = 0;
  for await (const line of gunzipLines(source)) {
    n++;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new InvalidArtifactError(`artifact line ${n} is not JSON: ${line.slice(0, 120)}`);
    }
    const res = ParsedRow.safeParse(json);
    if (!res.success) {
      const issue = res.error.issues[0];
      throw new InvalidArtifactError(
        `artifact line ${n} is not a valid row: ${issue ? `${issue.path.join('.') || '(row)'}: ${issue.message}` : 'invalid'}`,
      );
    }
    yield { n, row: res.data };
  }
}
