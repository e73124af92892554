#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ApiCallError, ApiClient } from './api-client.js';
import { backfill, daily, exportCsv, missing, status, type Io } from './commands.js';

const USAGE = `usage: posflow <command> [options]

  backfill --from YYYY-MM-DD --to YYYY-MM-DD [--branches A,B] [--pos 1,2] [--force] [--watch]
  daily    [--date YYYY-MM-DD] [--rescan-days 7] [--watch]     yesterday (Asia/Manila) + missing-scan of the days before
  missing  --from YYYY-MM-DD --to YYYY-MM-DD [--branches A,B] [--enqueue]
  status   [jobId] [--watch]
  export   --branch B --pos 1 --date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD [--branch B] [--typed]  > file.csv

env: POSFLOW_GATEWAY_URL (default http://127.0.0.1:8080), POSFLOW_API_KEY
exit codes: 0 ok, 1 job failed/partial/cancelled (--watch) or request refused, 2 usage`;

const io: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(s),
  write: (chunk) =>
    new Promise((resolve, reject) => process.stdout.write(chunk, (err) => (err ? reject(err) : resolve()))),
  isTTY: process.stderr.isTTY === true,
  now: () => new Date(),
};

function usage(message?: string): number {
  if (message) process.stderr.write(`posflow: ${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        date: { type: 'string' },
        branch: { type: 'string' },
        branches: { type: 'string' },
        pos: { type: 'string' },
        force: { type: 'boolean' },
        watch: { type: 'boolean' },
        enqueue: { type: 'boolean' },
        typed: { type: 'boolean' },
        'rescan-days': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usage((err as Error).message);
  }
  const [command, arg] = parsed.positionals;
  const o = parsed.values as Record<string, string | boolean | undefined>;
  if (o.help || !command) return usage();
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const needRange = () => typeof o.from === 'string' && date.test(o.from) && typeof o.to === 'string' && date.test(o.to);
  const api = new ApiClient(process.env.POSFLOW_GATEWAY_URL ?? 'http://127.0.0.1:8080', process.env.POSFLOW_API_KEY);
  try {
    switch (command) {
      case 'backfill':
        return needRange() ? await backfill(api, io, o) : usage('backfill needs --from and --to (YYYY-MM-DD)');
      case 'daily':
        if (o.date !== undefined && !date.test(String(o.date))) return usage('--date must be YYYY-MM-DD');
        if (o['rescan-days'] !== undefined && !/^\d+$/.test(String(o['rescan-days']))) return usage('--rescan-days must be a number');
        return await daily(api, io, o);
      case 'missing':
        return needRange() ? await missing(api, io, o) : usage('missing needs --from and --to (YYYY-MM-DD)');
      case 'status':
        return await status(api, io, arg, o);
      case 'export':
        if (!(o.branch && o.pos && o.date) && !needRange()) return usage('export needs --branch --pos --date, or --from --to');
        return await exportCsv(api, io, o);
      default:
        return usage(`unknown command ${command}`);
    }
  } catch (err) {
    if (err instanceof ApiCallError) {
      process.stderr.write(`posflow: ${err.message} (HTTP ${err.status})\n`);
      return err.status === 400 ? 2 : 1;
    }
    process.stderr.write(`posflow: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
