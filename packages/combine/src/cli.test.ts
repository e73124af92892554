import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DROPPED_CSV_HEADER } from './dropped-csv.writer.js';
import { LEGACY_HEADER } from './legacy-csv.renderer.js';
import { LOOKUP_FILES, rd5000File, rd5000Line } from './testing/group-builder.js';
import {
  LEGACY_OUTPUT_DIR,
  NO_FIXTURES,
  POS_EXPORTS_DIR,
  REFERENCE_DIR,
  REPO_ROOT,
  noFixturesReason,
} from './testing/shared-fixtures.js';

// The CLI as built (`pnpm test` builds first): the test runs what operators run.
const CLI = join(REPO_ROOT, 'packages/combine/dist/cli.js');

function runCli(...args: string[]) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, REFERENCE_DIR: '' },
  });
  const lines = r.stdout.trim().split('\n');
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    summary: JSON.parse(lines.at(-1) || 'null') as Record<string, number> | null,
  };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'combine-cli-test-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(NO_FIXTURES)(`pnpm combine on the fixtures folder ${noFixturesReason()}`, () => {
  test('writes every group byte-identical to the legacy output, an empty dropped.csv and a JSON summary last', async () => {
    const out = join(tmp, 'fixtures-out');
    const r = runCli(POS_EXPORTS_DIR, out, '--reference', REFERENCE_DIR, '--concurrency', '3');
    expect(r.code, r.stderr).toBe(0);
    const expected = (await readdir(LEGACY_OUTPUT_DIR)).sort();
    expect((await readdir(out)).sort()).toEqual([...expected, 'dropped.csv'].sort());
    let rows = 0;
    for (const name of expected) {
      const legacy = await readFile(join(LEGACY_OUTPUT_DIR, name), 'utf8');
      expect(await readFile(join(out, name), 'utf8'), name).toBe(legacy);
      rows += legacy.split('\n').length - 2;
    }
    expect(await readFile(join(out, 'dropped.csv'), 'utf8')).toBe(`${DROPPED_CSV_HEADER}\n`);
    expect(r.summary).toEqual({ groups: expected.length, rows, dropped: 0, ms: expect.any(Number) });
  });
});

describe('pnpm combine', () => {
  test('chooses among re-sends, reports names off the pattern, groups without rd5000 and dropped rows', async () => {
    const input = join(tmp, 'in');
    const ref = join(tmp, 'ref');
    await mkdir(input);
    await mkdir(ref);
    const name = (type: string, send: string, branch = 'BMC') =>
      join(input, `a_${branch}_1_${type}_2026-02-09_${send}_.csv`);
    await writeFile(name('rd5000', '20-00'), rd5000File({ INVOICE: 'EARLY1' }, { INVOICE: 'EARLY2' }));
    await writeFile(
      name('rd5000', '21-00'),
      rd5000File({ INVOICE: 'LATE1' }, { DATE: '2026-01-01', INVOICE: 'LATE2' }),
    );
    await writeFile(name('rd5000', '19-00'), rd5000File({ INVOICE: 'ONLY' }));
    for (const [type, text] of Object.entries(LOOKUP_FILES)) await writeFile(name(type, '20-00'), text);
    await writeFile(name('rd5500', '20-00', 'EME'), LOOKUP_FILES.rd5500);
    await writeFile(join(input, 'notes.txt'), 'hello');
    await mkdir(join(input, 'subfolder'));
    await writeFile(join(ref, 'conversion_branch.csv'), 'BMC,BICOL MEDICAL CENTER\n');

    const out = join(tmp, 'out');
    const r = runCli(input, out, '--reference', ref);
    expect(r.code, r.stderr).toBe(0);
    // 2 data rows each: the tie goes to the later send time, 21-00; its second row has another date.
    const bmc = (await readFile(join(out, 'BMC_1_2026-02-09.csv'), 'utf8')).split('\n');
    expect(bmc).toHaveLength(3);
    expect(bmc[1]).toMatch(/^1,LATE1,BRK2,/);
    expect(await readFile(join(out, 'EME_1_2026-02-09.csv'), 'utf8')).toBe(`${LEGACY_HEADER}\n`);
    const dropped = (await readFile(join(out, 'dropped.csv'), 'utf8')).trim().split('\n');
    expect(dropped[0]).toBe(DROPPED_CSV_HEADER);
    expect(dropped.slice(1).sort()).toEqual(
      [
        `BMC_1_2026-02-09,a_BMC_1_rd5000_2026-02-09_21-00_.csv,3,date-mismatch,"${rd5000Line({ DATE: '2026-01-01', INVOICE: 'LATE2' })}","DATE ""2026-01-01"", group 2026-02-09"`,
        'EME_1_2026-02-09,rd5000,0,missing-rd5000,,the group has no rd5000 file: no rows',
        ',notes.txt,0,unrecognised-file-name,,not <prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv',
      ].sort(),
    );
    expect(r.summary).toEqual({ groups: 2, rows: 1, dropped: 3, ms: expect.any(Number) });
  });

  test('worker threads or not, the same outputs: dropped.csv in group order, line order within a group', async () => {
    const input = join(tmp, 'in-many');
    await mkdir(input);
    const branches = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'];
    for (const branch of branches) {
      const name = (type: string) => join(input, `a_${branch}_1_${type}_2026-02-09_20-00_.csv`);
      const rows = Array.from({ length: 40 }, (_, i) =>
        i % 3 === 0 ? { DATE: '2026-01-01', INVOICE: `${branch}${i}` } : { INVOICE: `${branch}${i}` },
      );
      await writeFile(name('rd5000'), rd5000File(...rows));
      for (const [type, text] of Object.entries(LOOKUP_FILES)) await writeFile(name(type), text);
    }
    await writeFile(join(input, 'zz-notes.txt'), 'hello');
    const outputs: string[][] = [];
    for (const args of [
      ['--workers', '1', '--concurrency', '1'],
      ['--workers', '3', '--concurrency', '5'],
      [],
    ]) {
      const out = join(tmp, `out-many-${outputs.length}`);
      const r = runCli(input, out, '--reference', join(tmp, 'no-reference'), ...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.summary).toEqual({ groups: 5, rows: 5 * 26, dropped: 5 * 14 + 1, ms: expect.any(Number) });
      const names = (await readdir(out)).sort();
      outputs.push([...names, ...(await Promise.all(names.map((n) => readFile(join(out, n), 'utf8'))))]);
    }
    for (const other of outputs.slice(1)) expect(other).toEqual(outputs[0]);
    const dropped = (await readFile(join(tmp, 'out-many-1', 'dropped.csv'), 'utf8')).trim().split('\n');
    expect(dropped[1]).toMatch(/^,zz-notes.txt,0,unrecognised-file-name,/);
    const order = dropped.slice(2).map((l) => l.split(',').slice(0, 3).join(','));
    expect(order).toEqual(
      branches.flatMap((b) =>
        Array.from(
          { length: 14 },
          (_, k) => `${b}_1_2026-02-09,a_${b}_1_rd5000_2026-02-09_20-00_.csv,${2 + 3 * k}`,
        ),
      ),
    );
  });

  test('unreadable input: non-zero exit and a one-line reason', () => {
    const r = runCli(join(tmp, 'does-not-exist'), join(tmp, 'never'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^combine: ENOENT.*does-not-exist/);
  });

  test('wrong arguments: usage and exit 2', () => {
    const r = runCli('only-one');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^combine: usage: pnpm combine <input-dir> <output-dir>/);
  });
});
