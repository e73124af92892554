import { onUnauthorized } from './api.client.js';
import { h, mount } from './dom.js';
import { keyStore } from './key.store.js';
import { session, signIn, signOut } from './session.js';
import { errorText } from './ui.js';
import type { View, ViewDef } from './view.js';
import { CoverageView } from './views/coverage.view.js';
import { JobsView } from './views/jobs.view.js';
import { MonitorView } from './views/monitor.view.js';
import { QueuesView } from './views/queues.view.js';
import { SalesView } from './views/sales.view.js';
import { TransactionsView } from './views/transactions.view.js';

const VIEWS: readonly ViewDef[] = [
  { path: '/coverage', label: 'Coverage', icon: '▦', create: () => new CoverageView() },
  { path: '/jobs', label: 'Jobs', icon: '⟳', create: () => new JobsView() },
  {
    path: '/transactions',
    label: 'Transactions',
    short: 'Lines',
    icon: '☰',
    create: () => new TransactionsView(),
  },
  { path: '/sales', label: 'Sales', icon: '▲', create: () => new SalesView() },
  { path: '/monitor', label: 'Monitor', icon: '⚑', create: () => new MonitorView() },
  { path: '/queues', label: 'Queues', icon: '≋', create: () => new QueuesView() },
];

const app = document.getElementById('app') as HTMLElement;
let current: View | null = null;

function route(): { def: ViewDef; params: URLSearchParams } {
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  const def = VIEWS.find((v) => v.path === path) ?? VIEWS[0]!;
  return { def, params: new URLSearchParams(query) };
}

function renderShell(): HTMLElement {
  const who = session.who;
  const identity = who
    ? h(
        'div',
        { class: 'identity', testid: 'identity' },
        h('span', { class: 'identity-name', testid: 'identity-name' }, who.name),
        h('span', { class: `badge badge-role role-${who.role}`, testid: 'identity-role' }, who.role),
        h(
          'span',
          {
            class: 'identity-branches',
            testid: 'identity-branches',
            title: who.branches?.join(', ') ?? 'all branches',
          },
          who.branches ? who.branches.join(', ') : 'all branches',
        ),
      )
    : h(
        'div',
        { class: 'identity', testid: 'identity' },
        h('span', { class: 'identity-name', testid: 'identity-name' }, 'Signed in'),
      );
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': 'Sections' },
    ...VIEWS.map((v) =>
      h(
        'a',
        {
          href: `#${v.path}`,
          class: 'nav-link',
          testid: `nav-${v.path.slice(1)}`,
          'data-path': v.path,
          'aria-label': v.label,
        },
        h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, v.icon),
        h('span', { class: 'nav-label-long' }, v.label),
        h('span', { class: 'nav-label-short', 'aria-hidden': 'true' }, v.short ?? v.label),
      ),
    ),
  );
  const signOutBtn = h(
    'button',
    { type: 'button', class: 'btn btn-ghost btn-small', testid: 'sign-out' },
    'Sign out',
  );
  signOutBtn.addEventListener('click', () => {
    signOut();
    showSignIn();
  });
  const main = h('main', { class: 'main', id: 'view', testid: 'view' });
  mount(
    app,
    h(
      'header',
      { class: 'topbar' },
      h(
        'a',
        { class: 'brand', href: '#/coverage' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'P'),
        h('span', null, 'posflow'),
      ),
      identity,
      signOutBtn,
    ),
    nav,
    main,
  );
  return main;
}

function navigate(): void {
  const main = document.getElementById('view');
  if (!main) return;
  const { def, params } = route();
  current?.dispose?.();
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.nav-link'))
    a.toggleAttribute('aria-current', a.dataset.path === def.path);
  current = def.create();
  main.replaceChildren();
  main.dataset.view = def.path.slice(1);
  document.title = `${def.label} · posflow`;
  void Promise.resolve(current.render(main, params)).catch((err: unknown) => {
    main.append(h('div', { class: 'notice notice-bad', role: 'alert' }, errorText(err)));
  });
}

function showSignIn(message?: string): void {
  current?.dispose?.();
  current = null;
  const input = h('input', {
    type: 'password',
    id: 'api-key',
    name: 'api-key',
    autocomplete: 'current-password',
    required: true,
    testid: 'api-key-input',
    placeholder: 'paste your key',
  });
  const form = h(
    'form',
    { class: 'signin-card', testid: 'signin-form' },
    h(
      'div',
      { class: 'brand brand-large' },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'P'),
      h('span', null, 'posflow'),
    ),
    h('p', { class: 'muted' }, 'POS data pipeline: coverage, backfills, transactions and sales.'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'API key'), input),
    message ? h('div', { class: 'notice notice-bad', role: 'alert', testid: 'signin-error' }, message) : null,
    h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'api-key-submit' }, 'Sign in'),
    h(
      'p',
      { class: 'hint' },
      'The key is kept in this browser only and sent to this server as a bearer token.',
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    keyStore.set(input.value.trim());
    void start();
  });
  mount(app, h('div', { class: 'signin' }, form));
  input.focus();
}

async function start(): Promise<void> {
  if (!keyStore.get()) return showSignIn();
  try {
    await signIn();
  } catch (err) {
    keyStore.clear();
    return showSignIn(errorText(err));
  }
  renderShell();
  navigate();
}

onUnauthorized(() => {
  keyStore.clear();
  showSignIn('The API key was refused; sign in again.');
});
window.addEventListener('hashchange', () => {
  if (document.getElementById('view')) navigate();
});
void start();
