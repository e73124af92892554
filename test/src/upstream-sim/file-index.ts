import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * What the server's `pos_extract` table knows: every export file under the
 * folder, keyed by (branch, pos, date) parsed from its name. Paths are kept
 * relative and `/`-separated, as the list endpoint returns them.
 */
export class FileIndex {
  private byKey = new Map<string, string[]>();
  private count = 0;

  constructor(private readonly dir: string) {}

  async rescan(): Promise<number> {
    const next = new Map<string, string[]>();
    let count = 0;
    for (const abs of await walk(this.dir)) {
      const rel = relative(this.dir, abs).split(sep).join('/');
      const key = keyOfName(rel.split('/').pop() ?? '');
      if (key === undefined) continue;
      const list = next.get(key) ?? [];
      list.push(rel);
      next.set(key, list);
      count++;
    }
    for (const list of next.values()) list.sort((a, b) => (a.split('/').pop() ?? '').localeCompare(b.split('/').pop() ?? ''));
    this.byKey = next;
    this.count = count;
    return count;
  }

  list(branch: string, pos: string, date: string): readonly string[] {
    return this.byKey.get(`${branch}|${pos}|${date}`) ?? [];
  }

  get size(): number {
    return this.count;
  }
}

/** `a_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv` → `BRANCH|POS|DATE`; other names are not exports. */
export function keyOfName(name: string): string | undefined {
  if (!name.toLowerCase().endsWith('.csv')) return undefined;
  const parts = name.slice(0, -4).split('_');
  if (parts.length < 5) return undefined;
  return `${parts[1] ?? ''}|${parts[2] ?? ''}|${parts[4] ?? ''}`;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(abs)));
    else if (entry.isFile()) out.push(abs);
  }
  return out;
}
