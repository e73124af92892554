// Combine engine figures: throughput on the real fixture groups scaled up
// (date-shifted copies) and rows/s, MB/s and peak RSS on one synthetic rd5000
// of BENCH_COMBINE_BYTES (default 1 GiB). Each measurement runs in its own
// child process so its peak RSS is its own. Prints a Markdown section.
//   BENCH_COMBINE_BYTES  size of the synthetic rd5000 (e.g. 50000000 in CI)
// The synthetic file is combined twice: default V8 flags, then a capped heap.
//   BENCH_COMBINE_COPIES date-shifted copies of each fixture group (default 40)
//   BENCH_COMBINE_WORKERS worker threads for the real groups (default: combineFolder's, see defaultWorkers)
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { combineFolder, defaultWorkers, groupExportFiles, loadReference } from '@posflow/combine';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES = join(ROOT, '..', 'shared', 'fixtures');
const POS_EXPORTS = join(FIXTURES, 'pos-exports');
const REFERENCE = join(FIXTURES, 'reference');
const BIG_BYTES = Number(process.env.BENCH_COMBINE_BYTES ?? 1024 ** 3);
const COPIES = Number(process.env.BENCH_COMBINE_COPIES ?? 40);
const WORKERS =
  process.env.BENCH_COMBINE_WORKERS === undefined ? undefined : Number(process.env.BENCH_COMBINE_WORKERS);
const LEGACY_ROWS_PER_S = 6_000;

interface Measured {
  groups: number;
  rows: number;
  dropped: number;
  ms: number;
  inputBytes: number;
  maxRssMb: number;
  /** User + system CPU time of the combine: the machine is shared, this is what the work itself cost. */
  cpuMs: number;
}

const mb = (n: number): string => (n / 1_048_576).toFixed(0);
const perS = (n: number, ms: number): number => n / (ms / 1000);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Child: combine one folder like `pnpm combine`, report figures as JSON. */
async function measure(inputDir: string, outputDir: string): Promise<void> {
  const reference = await loadReference(REFERENCE);
  let inputBytes = 0;
  for (const name of await readdir(inputDir)) inputBytes += (await stat(join(inputDir, name))).size;
  const cpu = process.cpuUsage();
  const summary = await combineFolder({
    inputDir,
    outputDir,
    reference,
    tmpDir: outputDir,
    workers: WORKERS,
  });
  const used = process.cpuUsage(cpu);
  const result: Measured = {
    ...summary,
    inputBytes,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (used.user + used.system) / 1000,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** V8 flags a memory-capped deployment would set: the live heap is small, default V8 just lets garbage pile up. */
const CAPPED_HEAP = ['--max-old-space-size=128', '--max-semi-space-size=2'];

function runChild(inputDir: string, outputDir: string, nodeFlags: string[] = []): Promise<Measured> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      [...nodeFlags, fileURLToPath(import.meta.url), '--measure', inputDir, outputDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? res(JSON.parse(out.trim().split('\n').at(-1) ?? '') as Measured)
        : rej(new Error(`measure child exited ${code}`)),
    );
  });
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Copies of every fixture group, each moved to its own date (in the names and in every DATE column) so rows are kept. */
async function writeScaledFixtures(dir: string): Promise<void> {
  const names = await readdir(POS_EXPORTS);
  const { groups } = groupExportFiles(names);
  const texts = new Map<string, string>();
  for (const name of names) texts.set(name, await readFile(join(POS_EXPORTS, name), 'utf8'));
  for (let copy = 0; copy < COPIES; copy++) {
    for (const [g, group] of groups.entries()) {
      const date = addDays('2001-01-01', copy * groups.length + g);
      for (const files of Object.values(group.files)) {
        for (const f of files) {
          let text = (texts.get(f.name) ?? '').replaceAll(group.key.date, date);
          // The loyalty log is cumulative: each later day's log has that day's visits appended, so
          // no two copies' logs are the same bytes (as on real days; a re-sent identical log would
          // be read once by the folder run's loyalty-log cache, which this run must not measure).
          if (f.name.includes('_blpr_') && text !== '') {
            const n = String(copy).padStart(7, '0');
            text += `${group.key.branch},0917${n},"=""9${n}""","=""9${n}""",${group.key.pos},${group.key.branch}\n`;
          }
          await writeFile(join(dir, f.name.replace(group.key.date, date)), text);
        }
      }
    }
  }
}

/** One group with a synthetic rd5000 of about `bytes`, plausible rows; lookups from the BMC fixture group. */
async function writeBigGroup(dir: string, bytes: number): Promise<void> {
  const date = '2026-02-09';
  for (const type of ['rd5500', 'rd1800', 'discount', 'rd5800', 'rd5900', 'blpr']) {
    const name = `a_BMC_1_${type}_${date}_20-00_.csv`;
    await writeFile(join(dir, name), await readFile(join(POS_EXPORTS, name)));
  }
  const items = ['BRK2', 'CHM19', 'PST2', 'BEV15', 'CLM2', 'REP1', 'XTR8', 'BS10', 'DEL45', 'CHM1'];
  const out = createWriteStream(join(dir, `a_BMC_1_rd5000_${date}_20-00_.csv`));
  out.write(
    'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,ITE_CODE,QUANTITY,UNT_PRIC,AMOUNT,DISCOUNT,SCHARGE,DT,DEP_CODE,DATE,TIME,CUS_CODE,TRN_CODE,ORNUM,TAG,DISC_CODE,SRNO,SRNAME,TYPE,BACKJOB,DELIVERY,PHONE,RIDER,FREE,INV_FLAG,REC_NO,LPAY_DISC,GC_EXCESS,VAT_FLAG,VATDIV,BDL_CODE,VAT_AMNT,VAT_DISC,VAT_PRIC,TRANSNO,POS,BRANCH\n',
  );
  let written = 0;
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; written < bytes; ) {
    let chunk = '';
    for (let k = 0; k < 2_000; k++, i++) {
      const inv = String(250_000 + (i >> 2)).padStart(8, '0');
      const trans = String(247_000 + (i >> 2)).padStart(8, '0');
      const item = items[rand(items.length)] ?? 'BRK2';
      const qty = 1 + rand(3);
      const price = (50 + rand(300)).toFixed(3);
      const amount = (qty * Number(price)).toFixed(3);
      const time = `${String(6 + rand(16)).padStart(2, '0')}:${String(rand(60)).padStart(2, '0')}`;
      const dep = String(1 + rand(30)).padStart(2, '0');
      const type = 'DTC'[rand(3)] ?? 'D';
      chunk += `1,${date} 00:00:00,${inv},19122,${item},${qty}.000,${price},${amount},0.000,0.000,SP,${dep},${date} 00:00:00,${time},,S,,S,,CUSTOMER,1008 2720 8549,${type},1,0,,,0,1,${k},0,0.000,1,9.333,${item},${amount},0.000,${price},${trans},1,BMC\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3] ?? '', process.argv[4] ?? '');
  const lines = ['## Combine', ''];
  if (!existsSync(POS_EXPORTS)) {
    process.stdout.write(
      `${lines.join('\n')}skipped: ${FIXTURES} is absent (the benchmark scales the real fixture groups)\n`,
    );
    return;
  }
  const base = await mkdtemp(join(tmpdir(), 'combine-bench-'));
  try {
    lines.push(
      '| run | groups | rows | input | time | rows/s | MB/s | CPU time | rows per CPU-s | peak RSS |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    const row = (label: string, m: Measured): string =>
      `| ${label} | ${m.groups} | ${fmt(m.rows)} | ${mb(m.inputBytes)} MB | ${(m.ms / 1000).toFixed(1)} s | ${fmt(perS(m.rows, m.ms))} | ${(perS(m.inputBytes, m.ms) / 1_048_576).toFixed(1)} | ${(m.cpuMs / 1000).toFixed(1)} s | ${fmt(perS(m.rows, m.cpuMs))} | ${m.maxRssMb.toFixed(0)} MB |`;

    const scaled = join(base, 'scaled');
    await mkdir(scaled);
    await writeScaledFixtures(scaled);
    const real = await runChild(scaled, join(base, 'scaled-out'));
    lines.push(
      row(`real groups × ${COPIES} date-shifted copies, ${WORKERS ?? defaultWorkers()} worker(s)`, real),
    );
    await rm(scaled, { recursive: true, force: true });
    await rm(join(base, 'scaled-out'), { recursive: true, force: true });

    const bigDir = join(base, 'big');
    await mkdir(bigDir);
    await writeBigGroup(bigDir, BIG_BYTES);
    const big = await runChild(bigDir, join(base, 'big-out'));
    lines.push(row(`one synthetic rd5000 of ${mb(BIG_BYTES)} MB`, big));
    await rm(join(base, 'big-out'), { recursive: true, force: true });
    const capped = await runChild(bigDir, join(base, 'big-out'), CAPPED_HEAP);
    lines.push(row(`the same, node ${CAPPED_HEAP.join(' ')}`, capped));

    const speedup = perS(real.rows, real.ms) / LEGACY_ROWS_PER_S;
    lines.push(
      '',
      `Real groups: ${fmt(perS(real.rows, real.ms))} rows/s = ${speedup.toFixed(0)}× the legacy script's ~${fmt(LEGACY_ROWS_PER_S)} rows/s (target ≥ 120,000 rows/s).`,
      `Synthetic rd5000: peak RSS ${big.maxRssMb.toFixed(0)} MB with default V8 flags, ${capped.maxRssMb.toFixed(0)} MB with a capped heap (target < 200 MB); kept lines are spilled to a temp file and replayed backwards.`,
      `Load average while measuring: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' / ',
        )} on ${availableParallelism()} cores (other work shares the machine: figures are lower bounds).`,
      `Time is the in-process \`combineFolder\` (like \`pnpm combine\`): reading, combining, writing the legacy CSVs and dropped.csv.`,
      `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
