#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BranchCode, IsoDate } from '@posflow/contracts';
import { writeDataset } from './dataset.writer.js';
import { writeReference } from './reference.writer.js';

const USAGE = `usage: pnpm synth --out <dir> --from YYYY-MM-DD --to YYYY-MM-DD
  [--branches N|A,B] [--new-branches A,B] [--pos 1,2] [--seed S] [--edge-cases]
  [--scale-orders F] [--scale-loyalty F] [--layout by-date|flat]
  [--reference <dir>] [--summary <file.json>]`;

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

// Command-line input crosses a boundary: validate it, fail with a readable message.
const Args = z.object({
  out: z.string().min(1),
  from: IsoDate,
  to: IsoDate,
  branches: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : /^\d+$/.test(s) ? Number(s) : list(s)))
    .pipe(z.union([z.number().int().min(1).max(40), z.array(BranchCode).min(1), z.undefined()])),
  'new-branches': z.string().optional().transform((s) => (s === undefined ? undefined : list(s))).pipe(z.array(BranchCode).optional()),
  pos: z.string().default('1').transform((s) => list(s).map(Number)).pipe(z.array(z.number().int().min(1).max(9)).min(1)),
  seed: z.coerce.number().int().default(1),
  'edge-cases': z.boolean().default(false),
  'scale-orders': z.coerce.number().positive().default(1),
  'scale-loyalty': z.coerce.number().min(0).default(1),
  layout: z.enum(['by-date', 'flat']).default('by-date'),
  reference: z.string().optional(),
  summary: z.string().optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      branches: { type: 'string' },
      'new-branches': { type: 'string' },
      pos: { type: 'string' },
      seed: { type: 'string' },
      'edge-cases': { type: 'boolean' },
      'scale-orders': { type: 'string' },
      'scale-loyalty': { type: 'string' },
      layout: { type: 'string' },
      reference: { type: 'string' },
      summary: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(`${USAGE}\n\n${z.prettifyError(parsed.error)}\n`);
    process.exitCode = 2;
    return;
  }
  const a = parsed.data;
  const summary = await writeDataset({
    outDir: a.out,
    from: a.from,
    to: a.to,
    branches: a.branches,
    newBranches: a['new-branches'],
    pos: a.pos,
    seed: a.seed,
    edgeCases: a['edge-cases'],
    scale: { orders: a['scale-orders'], loyalty: a['scale-loyalty'] },
    layout: a.layout,
  });
  if (a.reference !== undefined) await writeReference(a.reference, { branches: summary.branches, newBranches: summary.newBranches });
  if (a.summary !== undefined) await writeFile(a.summary, JSON.stringify(summary, null, 2));
  const { partitions: _partitions, ...totals } = summary;
  process.stdout.write(`${JSON.stringify({ msg: 'synthetic dataset written', ...totals, reference: a.reference })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ msg: 'synth failed', err: String(err) })}\n`);
  process.exitCode = 1;
});
