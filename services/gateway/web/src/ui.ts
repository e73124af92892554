import { ApiRequestError } from './api.client.js';
import { h, type Child } from './dom.js';

/** Small shared widgets: notices, badges, busy buttons, panels. */

let toastHost: HTMLElement | null = null;

/** A transient message in the corner (role=status, so it is announced). */
export function toast(message: string, kind: 'ok' | 'bad' | 'info' = 'info'): void {
  toastHost ??= document.body.appendChild(
    h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite', testid: 'toasts' }),
  );
  const el = h('div', { class: `toast toast-${kind}` }, message);
  toastHost.append(el);
  setTimeout(() => el.remove(), kind === 'bad' ? 8_000 : 4_000);
}

export function errorText(err: unknown): string {
  if (err instanceof ApiRequestError) return `${err.message} (${err.status} ${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorBox(err: unknown): HTMLElement {
  return h('div', { class: 'notice notice-bad', role: 'alert', testid: 'error' }, errorText(err));
}

export function badge(text: string, tone: string, testid?: string): HTMLElement {
  return h('span', { class: `badge badge-${tone}`, testid }, text);
}

export function loading(what = 'Loading…'): HTMLElement {
  return h(
    'div',
    { class: 'loading', 'aria-busy': 'true' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    what,
  );
}

/**
 * A button that runs an async action, disabled while it runs, reporting
 * success or failure as a toast.
 */
export function actionButton(
  label: string,
  run: () => Promise<string | void>,
  opts: {
    testid?: string;
    variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
    confirm?: string;
    disabled?: boolean;
    title?: string;
  } = {},
): HTMLButtonElement {
  const btn = h(
    'button',
    {
      type: 'button',
      class: `btn btn-${opts.variant ?? 'secondary'}`,
      testid: opts.testid,
      disabled: opts.disabled ?? false,
      title: opts.title,
    },
    label,
  );
  btn.addEventListener('click', () => {
    if (opts.confirm && !window.confirm(opts.confirm)) return;
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    run()
      .then((msg) => {
        if (msg) toast(msg, 'ok');
      })
      .catch((err: unknown) => toast(errorText(err), 'bad'))
      .finally(() => {
        btn.disabled = false;
        btn.removeAttribute('aria-busy');
      });
  });
  return btn;
}

export function panel(
  title: string,
  body: Child[],
  opts: { testid?: string; actions?: Child[]; className?: string } = {},
): HTMLElement {
  return h(
    'section',
    { class: `panel ${opts.className ?? ''}`, testid: opts.testid },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', null, title),
      h('div', { class: 'panel-actions' }, ...(opts.actions ?? [])),
    ),
    h('div', { class: 'panel-body' }, ...body),
  );
}

export function kpi(label: string, value: string, sub?: string, testid?: string): HTMLElement {
  return h(
    'div',
    { class: 'kpi', testid },
    h('div', { class: 'kpi-label' }, label),
    h('div', { class: 'kpi-value' }, value),
    sub ? h('div', { class: 'kpi-sub' }, sub) : null,
  );
}

/** A progress bar with its percentage as text and ARIA values. */
export function progressBar(done: number, total: number, testid?: string): HTMLElement {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const bar = h('div', {
    class: 'progress',
    role: 'progressbar',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    'aria-valuenow': String(pct),
    'aria-label': `${done} of ${total} partitions finished`,
    testid,
    'data-percent': String(pct),
  });
  bar.append(h('div', { class: 'progress-fill', style: `width:${pct}%` }));
  return bar;
}

export function updateProgress(bar: HTMLElement, done: number, total: number): void {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  bar.setAttribute('aria-valuenow', String(pct));
  bar.setAttribute('aria-label', `${done} of ${total} partitions finished`);
  bar.dataset.percent = String(pct);
  const fill = bar.firstElementChild as HTMLElement | null;
  if (fill) fill.style.width = `${pct}%`;
}
