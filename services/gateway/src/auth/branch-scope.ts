/**
 * A key's branch scope. A store manager's key sees and acts on its own
 * branches only: asking for another branch explicitly is refused, and
 * unfiltered requests are narrowed to the scope.
 */
export class BranchScope {
  private readonly allowed: ReadonlySet<string> | undefined;

  constructor(readonly branches?: readonly string[]) {
    this.allowed = branches ? new Set(branches) : undefined;
  }

  get scoped(): boolean {
    return this.allowed !== undefined;
  }

  allows(branch: string): boolean {
    return !this.allowed || this.allowed.has(branch);
  }

  /** Branches outside the scope among `requested`. */
  denied(requested: readonly string[]): string[] {
    return requested.filter((b) => !this.allows(b));
  }

  /** The requested branches, or the scope when none were asked for (undefined = all). Call `denied` first. */
  narrow(requested: readonly string[] | undefined): string[] | undefined {
    if (requested) return [...requested];
    return this.branches ? [...this.branches] : undefined;
  }
}
