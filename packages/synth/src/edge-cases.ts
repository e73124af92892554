/**
 * Field problems the generator can inject, each as seen in the real exports
 * or in spec/upstream.md. Probabilities apply per group (branch, pos, date).
 */
export interface EdgeCaseOptions {
  /** Some file types sent a second time with a later HH-MM and more or fewer rows. */
  readonly resend?: number;
  /** One or two file types absent (rd5000 only rarely). */
  readonly missingTypes?: number;
  /** One extra order dated the previous day at the end of rd5000/rd5800 (dropped by the combiner). */
  readonly otherDateRows?: number;
  /** Every file of the group uses CRLF line endings. */
  readonly crlf?: number;
  /** Products whose names contain `"` (RFC 4180 quoting in rd5500), sold like others. */
  readonly quotedNames?: boolean;
  /** Products with ñ, é and the no-break space the real files carry. */
  readonly nonAscii?: boolean;
  /** No files at all for the (branch, pos, date): the store was closed. */
  readonly closedDays?: number;
  /** One order whose TIME is written `7:25` (the combiner drops it). */
  readonly hourAnomalies?: number;
  /** A truncated row in rd5000 (20 fields), rd5500 (3 fields: product without department) and rd5800 (12 fields). */
  readonly shortRows?: number;
  /** Sell modifier lines: NO ICE, LESS SPICY, WITH CUTLERY... */
  readonly modifiers?: boolean;
  /** rd5000 ends with a blank line (dropped as a wrong-date row). */
  readonly blankLines?: number;
}

export type ResolvedEdgeCases = Required<EdgeCaseOptions>;

export const NO_EDGE_CASES: ResolvedEdgeCases = {
  resend: 0,
  missingTypes: 0,
  otherDateRows: 0,
  crlf: 0,
  quotedNames: false,
  nonAscii: false,
  closedDays: 0,
  hourAnomalies: 0,
  shortRows: 0,
  modifiers: false,
  blankLines: 0,
};

/** `edgeCases: true`: a realistic sprinkle, a few percent of groups each. */
export const DEFAULT_EDGE_CASES: ResolvedEdgeCases = {
  resend: 0.06,
  missingTypes: 0.03,
  otherDateRows: 0.05,
  crlf: 0.05,
  quotedNames: true,
  nonAscii: true,
  closedDays: 0.02,
  hourAnomalies: 0.05,
  shortRows: 0.03,
  modifiers: true,
  blankLines: 0.03,
};

/** `true` → defaults; an object → only what it names; absent/false → none. */
export function resolveEdgeCases(e: boolean | EdgeCaseOptions | undefined): ResolvedEdgeCases {
  if (e === true) return DEFAULT_EDGE_CASES;
  if (e === undefined || e === false) return NO_EDGE_CASES;
  return { ...NO_EDGE_CASES, ...e };
}

/** What was injected into one group, for summaries and tests. */
export type InjectedEdgeCase =
  | { readonly kind: 'closed' }
  | { readonly kind: 'resend'; readonly types: readonly string[]; readonly variant: 'more' | 'fewer' }
  | { readonly kind: 'missing-types'; readonly types: readonly string[] }
  | { readonly kind: 'other-date-rows'; readonly rows: number; readonly date: string }
  | { readonly kind: 'crlf' }
  | { readonly kind: 'hour-anomaly'; readonly time: string; readonly rows: number }
  | { readonly kind: 'short-rows'; readonly product: string }
  | { readonly kind: 'blank-line' };
