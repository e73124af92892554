// Builds the dashboard into services/gateway/public/ (served by the gateway at `/`):
// a clean folder, the TypeScript modules compiled as plain ES modules (no bundler:
// browsers load them as they are), then the static files (HTML, CSS, icon).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const out = join(web, '..', 'public');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(process.execPath, [tsc, '-p', join(web, 'tsconfig.json')], { stdio: 'inherit' });
cpSync(join(web, 'static'), out, { recursive: true });
