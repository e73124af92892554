import { z } from 'zod';
import { createRng, type Rng } from '@posflow/synth';

/** Which requests a rule applies to; string fields are regular expressions. */
export const FaultMatch = z.object({
  target: z.enum(['list', 'download', 'any']).default('any'),
  branch: z.string().optional(),
  pos: z.string().optional(),
  date: z.string().optional(),
  /** Tested against the path after the base path (`uploads/…/a_BMC_1_rd5000_….csv`, `fetch_list2.php`). */
  path: z.string().optional(),
});
export type FaultMatch = z.infer<typeof FaultMatch>;

const common = {
  id: z.string().optional(),
  match: FaultMatch.default({ target: 'any' }),
  /** Fire with this probability (seeded). */
  probability: z.number().min(0).max(1).optional(),
  /** Fire on the first N matching requests only. Without probability or times: every request until cleared. */
  times: z.number().int().min(0).optional(),
};

/** The failure modes of spec/upstream.md, plus what a flaky network adds. */
export const FaultRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0), ...common }),
  z.object({ kind: z.literal('html-error'), ...common }),
  z.object({ kind: z.literal('text-error'), ...common }),
  z.object({ kind: z.literal('status'), status: z.number().int().min(400).max(599).default(503), ...common }),
  /** Destroy the socket (TCP RST) after K body bytes. */
  z.object({ kind: z.literal('reset'), afterBytes: z.number().int().min(0).default(0), ...common }),
  /** Send the body at this rate. */
  z.object({ kind: z.literal('slow'), bytesPerSecond: z.number().positive(), ...common }),
  /** Full Content-Length, then close cleanly after K bytes (or a fraction of the body; default half). */
  z.object({ kind: z.literal('truncate'), afterBytes: z.number().int().min(0).optional(), fraction: z.number().min(0).max(1).optional(), ...common }),
  /** From the second download of a path on, serve it changed: a row appended or the last row altered. */
  z.object({ kind: z.literal('mutate'), mode: z.enum(['append', 'alter']).default('append'), ...common }),
]);
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultRuleInput = z.input<typeof FaultRule>;

export const FaultList = z.array(FaultRule);

export interface RequestFacts {
  readonly target: 'list' | 'download';
  readonly path: string;
  readonly branch?: string;
  readonly pos?: string;
  readonly date?: string;
}

/** What to do to one request: summed latency plus at most one body fault. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly action: Exclude<FaultRule, { kind: 'latency' }> | undefined;
  readonly fired: string[];
}

interface Armed {
  readonly rule: FaultRule;
  readonly label: string;
  readonly re: { branch?: RegExp; pos?: RegExp; date?: RegExp; path?: RegExp };
  matched: number;
  fired: number;
}

export class FaultSet {
  private rules: Armed[] = [];
  private rng: Rng;

  constructor(private readonly seed = 1, rules: readonly FaultRuleInput[] = []) {
    this.rng = createRng(seed);
    this.replace(rules);
  }

  /** Validates and swaps the whole list (counters and the random stream restart). */
  replace(input: unknown): void {
    const rules = FaultList.parse(input);
    this.rng = createRng(this.seed);
    this.rules = rules.map((rule, i) => ({
      rule,
      label: rule.id ?? `${i}:${rule.kind}`,
      re: {
        ...(rule.match.branch !== undefined ? { branch: new RegExp(rule.match.branch) } : {}),
        ...(rule.match.pos !== undefined ? { pos: new RegExp(rule.match.pos) } : {}),
        ...(rule.match.date !== undefined ? { date: new RegExp(rule.match.date) } : {}),
        ...(rule.match.path !== undefined ? { path: new RegExp(rule.match.path) } : {}),
      },
      matched: 0,
      fired: 0,
    }));
  }

  decide(req: RequestFacts): FaultDecision {
    let latencyMs = 0;
    let action: FaultDecision['action'];
    const fired: string[] = [];
    for (const a of this.rules) {
      if (a.rule.kind !== 'latency' && action !== undefined) continue;
      if (!matches(a, req)) continue;
      a.matched++;
      const go = a.rule.times !== undefined ? a.matched <= a.rule.times : a.rule.probability !== undefined ? this.rng.chance(a.rule.probability) : true;
      if (!go) continue;
      a.fired++;
      fired.push(a.label);
      if (a.rule.kind === 'latency') latencyMs += a.rule.ms;
      else action = a.rule;
    }
    return { latencyMs, action, fired };
  }

  describe(): { label: string; rule: FaultRule; matched: number; fired: number }[] {
    return this.rules.map((a) => ({ label: a.label, rule: a.rule, matched: a.matched, fired: a.fired }));
  }
}

function matches(a: Armed, req: RequestFacts): boolean {
  const t = a.rule.match.target;
  if (t !== 'any' && t !== req.target) return false;
  const test = (re: RegExp | undefined, v: string | undefined): boolean => re === undefined || (v !== undefined && re.test(v));
  return test(a.re.branch, req.branch) && test(a.re.pos, req.pos) && test(a.re.date, req.date) && test(a.re.path, req.path);
}
