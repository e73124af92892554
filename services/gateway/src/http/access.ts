import type { BranchScope } from '../auth/branch-scope.js';
import { badRequest, forbiddenBranches } from './api-error.js';
import { rangeProblem } from '../domain/dates.js';

/**
 * The branches a request acts on: the ones asked for (refused with 403 when
 * outside the key's scope), else the key's scope, else undefined (= all).
 */
export function branchesFor(scope: BranchScope, requested: readonly string[] | undefined): string[] | undefined {
  if (requested) {
    const denied = scope.denied(requested);
    if (denied.length > 0) throw forbiddenBranches(denied);
  }
  return scope.narrow(requested);
}

/** Like branchesFor, but every branch must be a known one (branches.txt) and the answer is never undefined. */
export function knownBranchesFor(
  scope: BranchScope,
  requested: readonly string[] | undefined,
  known: readonly string[],
): string[] {
  if (requested) {
    const unknown = requested.filter((b) => !known.includes(b));
    if (unknown.length > 0) throw badRequest(`unknown branch ${unknown.join(', ')} (not in branches.txt)`, { unknown });
  }
  const branches = branchesFor(scope, requested) ?? [...known];
  return branches.filter((b) => known.includes(b));
}

export function checkRange(from: string, to: string, maxDays: number): void {
  const problem = rangeProblem(from, to, maxDays);
  if (problem) throw badRequest(problem, { from, to, maxDays });
}
