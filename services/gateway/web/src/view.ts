/** A page of the dashboard: rendered into the main area, disposed when the user leaves it. */
export interface View {
  render(root: HTMLElement, params: URLSearchParams): void | Promise<void>;
  /** Stops timers and event streams. */
  dispose?(): void;
}

export interface ViewDef {
  path: string;
  label: string;
  /** Label on a phone's tab bar, when `label` is too long for it. */
  short?: string;
  icon: string;
  create: () => View;
}

/** View state in the hash (`#/sales?from=…`), so a page can be bookmarked and shared. */
export function setHashParams(path: string, params: Record<string, string | undefined>): void {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  const next = `#${path}${s ? `?${s}` : ''}`;
  if (location.hash !== next) history.replaceState(null, '', next);
}
