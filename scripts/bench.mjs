#!/usr/bin/env node
// `pnpm bench`: runs every benchmark in test/dist/bench/*.bench.js (except the
// end-to-end one, `pnpm bench:e2e`) as its own process, one after another, so
// each measures its own peak memory. Each prints a Markdown section; copies go
// to test-results/bench/<name>.md. Figures worth keeping go in docs/benchmarks.md.
// Usage: pnpm bench [name-filter]
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test/dist/bench');
const out = join(root, 'test-results/bench');
mkdirSync(out, { recursive: true });
const filter = process.argv[2] ?? '';
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js') && f !== 'e2e.bench.js' && f.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmarks matching "${filter}" in ${dir}`);
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.js$/, '');
  console.log(`\n=== bench: ${name}`);
  const chunks = [];
  const code = await new Promise((res) => {
    const child = spawn(process.execPath, ['--expose-gc', join(dir, file)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => {
      chunks.push(d);
      process.stdout.write(d);
    });
    child.on('exit', (c) => res(c ?? 1));
  });
  writeFileSync(join(out, `${name}.md`), Buffer.concat(chunks));
  if (code !== 0) {
    failed++;
    console.error(`bench ${name} failed with exit code ${code}`);
  }
}
process.exit(failed ? 1 : 0);
