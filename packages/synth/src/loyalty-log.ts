import { excelWrapped } from './csv-format.js';
import { createRng, hashSeed, type Rng } from './prng.js';

/**
 * The blpr file is a cumulative log of loyalty visits: every day's export
 * repeats all earlier rows and appends the day's. We model that as one
 * seeded stream per branch, so the log of day D is a prefix of the log of
 * day D+1 (plus the day's own visits). Kept per branch and grown on demand,
 * so a dataset writer that walks dates in order generates each row once.
 */
export class LoyaltyLog {
  private readonly rng: Rng;
  private readonly lines: string[] = [];
  private readonly base: number;
  private readonly perDay: number;

  constructor(seed: number, private readonly branch: string, private readonly store: string, scale: number) {
    this.rng = createRng(hashSeed(seed, 'loyalty', branch));
    this.base = Math.round(this.rng.int(15_000, 45_000) * scale);
    this.perDay = Math.max(scale > 0 ? 1 : 0, Math.round(this.rng.int(15, 60) * scale));
  }

  /** History rows (without the POS and BRANCH columns) as of the start of `date`. */
  historyUpTo(date: string): readonly string[] {
    const days = Math.max(0, Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse('2024-01-01T00:00:00Z')) / 86_400_000));
    const want = this.base + days * this.perDay;
    while (this.lines.length < want) this.lines.push(this.nextLine());
    return this.lines.slice(0, want);
  }

  /** Today's visits; their ORNO is one of today's TRANSNOs so the combiner's lookup sometimes hits. */
  todayRows(dayRng: Rng, transNos: readonly string[]): string[] {
    const out: string[] = [];
    for (const t of transNos) {
      if (!dayRng.chance(0.06)) continue;
      const trans = String(Math.max(0, Number(t) - dayRng.int(100, 4000))).padStart(t.length, '0');
      out.push(`${this.store},${phone(dayRng)},${excelWrapped(trans)},${excelWrapped(t)}`);
    }
    return out;
  }

  private nextLine(): string {
    const r = this.rng;
    const prev = this.lines[this.lines.length - 1];
    // The real logs repeat a visit several times in a row.
    if (prev !== undefined && r.chance(0.05)) return prev;
    if (r.chance(0.005)) return `TEST,09${digits(r, 9)},,transfer`;
    if (r.chance(0.01)) return `${this.store},09${digits(r, 9)},,`;
    const trans = r.int(10_000, 400_000);
    const orno = trans + r.int(50, 5_000);
    const ph = r.chance(0.03) ? `09${digits(r, r.int(6, 8))}` : phone(r);
    return `${this.store},${ph},${excelWrapped(String(trans).padStart(8, '0'))},${excelWrapped(String(orno).padStart(8, '0'))}`;
  }

  get branchCode(): string {
    return this.branch;
  }
}

function phone(r: Rng): string {
  return `09${digits(r, 9)}`;
}

function digits(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(r.int(0, 9));
  return s;
}
