#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { combineFolder } from './combine-folder.js';
import { loadReference } from './reference.loader.js';

const USAGE =
  'usage: pnpm combine <input-dir> <output-dir> [--reference <dir>] [--concurrency <n>] [--workers <n>] [--spill-threshold <chars>]';

/**
 * `pnpm combine <input-dir> <output-dir>`: combines every group of a folder of
 * POS exports into legacy CSVs plus dropped.csv. The last stdout line is a
 * JSON summary. Reference data: --reference, else $REFERENCE_DIR, else a
 * `reference` folder beside the input folder (the fixtures' layout).
 */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      reference: { type: 'string' },
      concurrency: { type: 'string' },
      workers: { type: 'string' },
      'spill-threshold': { type: 'string' },
    },
  });
  const [inputArg, outputArg] = positionals;
  if (inputArg === undefined || outputArg === undefined || positionals.length > 2)
    throw new UsageError(USAGE);
  const inputDir = resolve(inputArg);
  const referenceDir = values.reference ?? process.env.REFERENCE_DIR ?? join(dirname(inputDir), 'reference');
  if (!existsSync(referenceDir))
    console.error(
      `combine: no reference folder at ${referenceDir}: clean-up tables and newBranches are empty`,
    );
  const reference = await loadReference(referenceDir);
  if (reference.missingFiles.length > 0 && existsSync(referenceDir)) {
    console.error(
      `combine: reference files absent from ${referenceDir}: ${reference.missingFiles.join(', ')}`,
    );
  }
  const summary = await combineFolder({
    inputDir,
    outputDir: resolve(outputArg),
    reference,
    concurrency: positiveInt(values.concurrency, 'concurrency'),
    workers: count(values.workers, 'workers', 0),
    spillThresholdChars: positiveInt(values['spill-threshold'], 'spill-threshold'),
  });
  console.log(JSON.stringify(summary));
}

function positiveInt(text: string | undefined, name: string): number | undefined {
  return count(text, name, 1);
}

function count(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    const what = min === 0 ? 'a whole number' : 'a positive integer';
    throw new UsageError(`--${name} must be ${what}, got ${JSON.stringify(text)}`);
  }
  return n;
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((err: unknown) => {
  // One line on stderr: the reason, not a stack (unreadable input is an operator problem).
  const message = err instanceof Error ? err.message : String(err);
  console.error(`combine: ${message.replaceAll('\n', ' ')}`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
