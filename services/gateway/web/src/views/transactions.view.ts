import { api } from '../api.client.js';
import type { TransactionRow, TransactionsPage } from '../api-types.js';
import { DAYPARTS } from '../dayparts.js';
import { field, h, mount } from '../dom.js';
import { addDays, integer, moneyE4, quantity, todayIso } from '../format.js';
import { knownBranches } from '../session.js';
import { actionButton, errorBox, loading, panel } from '../ui.js';
import { setHashParams, type View } from '../view.js';

const PAGE = 100;
const TEXT_FILTERS = ['product', 'department', 'category', 'payment', 'q'] as const;

/** Loaded item lines with the API's filters, cursor paging and CSV exports. */
export class TransactionsView implements View {
  private readonly inputs = {
    from: h('input', { type: 'date', required: true, testid: 'tx-from' }),
    to: h('input', { type: 'date', required: true, testid: 'tx-to' }),
    branch: h('select', { testid: 'tx-branch' }, h('option', { value: '' }, 'All branches')),
    pos: h(
      'select',
      { testid: 'tx-pos' },
      h('option', { value: '' }, 'All'),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => h('option', { value: String(n) }, String(n))),
    ),
    daypart: h(
      'select',
      { testid: 'tx-daypart' },
      h('option', { value: '' }, 'All'),
      ...DAYPARTS.map((d) => h('option', { value: d }, d)),
    ),
    product: h('input', { type: 'text', placeholder: 'exact clean name', testid: 'tx-product' }),
    department: h('input', { type: 'text', placeholder: 'e.g. BEVERAGES', testid: 'tx-department' }),
    category: h('input', { type: 'text', testid: 'tx-category' }),
    payment: h('input', { type: 'text', placeholder: 'e.g. CASH', testid: 'tx-payment' }),
    q: h('input', { type: 'search', placeholder: 'product, item code, receipt…', testid: 'tx-q' }),
    sort: h(
      'select',
      { testid: 'tx-sort' },
      h('option', { value: '-date' }, 'Newest first'),
      h('option', { value: 'date' }, 'Oldest first'),
    ),
  };
  private readonly tbody = h('tbody', { testid: 'tx-rows' });
  private readonly status = h('p', { class: 'muted table-status', testid: 'tx-status', role: 'status' });
  private readonly more = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', testid: 'tx-load-more', hidden: true },
    'Load more',
  );
  private cursor: string | null = null;
  private shown = 0;
  private generation = 0;

  render(root: HTMLElement, params: URLSearchParams): void {
    const i = this.inputs;
    i.to.value = params.get('to') ?? addDays(todayIso(), -1);
    i.from.value = params.get('from') ?? addDays(i.to.value, -6);
    for (const k of ['pos', 'daypart', 'sort', ...TEXT_FILTERS] as const)
      i[k].value = params.get(k) ?? i[k].value;
    const wantBranch = params.get('branch') ?? '';
    void knownBranches().then(
      (bs) => {
        i.branch.append(...bs.map((b) => h('option', { value: b, selected: b === wantBranch }, b)));
      },
      () => undefined,
    );
    if (wantBranch) i.branch.append(h('option', { value: wantBranch, selected: true }, wantBranch));
    const form = h(
      'form',
      { class: 'filters', testid: 'tx-filters' },
      h(
        'div',
        { class: 'filter-grid' },
        field('From', i.from),
        field('To', i.to),
        field('Branch', i.branch),
        field('POS', i.pos),
        field('Daypart', i.daypart),
        field('Product', i.product),
        field('Department', i.department),
        field('Category', i.category),
        field('Payment', i.payment),
        field('Search', i.q),
        field('Order', i.sort),
      ),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', testid: 'tx-apply' }, 'Apply filters'),
        h('button', { type: 'reset', class: 'btn btn-ghost' }, 'Clear'),
        h('span', { class: 'spacer' }),
        actionButton(
          'Export CSV',
          async () =>
            `Downloaded ${await api.download('/export/transactions.csv', this.filter(), 'transactions.csv')}`,
          { testid: 'tx-export-csv', variant: 'secondary' },
        ),
        actionButton(
          'Legacy CSV',
          async () => `Downloaded ${await api.download('/export/legacy', this.legacyQuery(), 'legacy.csv')}`,
          {
            testid: 'tx-export-legacy',
            variant: 'secondary',
            title:
              'The legacy combined CSV: one partition when a single branch, POS and day are chosen, else the range',
          },
        ),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.load(false);
    });
    form.addEventListener('reset', () => setTimeout(() => void this.load(false)));
    this.more.addEventListener('click', () => void this.load(true));
    const head = h(
      'tr',
      null,
      ...['Date', 'Time', 'Branch', 'POS', 'Product', 'Qty', 'Amount', 'Payment'].map((c, n) =>
        h('th', { scope: 'col', class: n >= 5 && n <= 6 ? 'num' : '' }, c),
      ),
    );
    root.append(
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, 'Transactions'),
        h('p', { class: 'muted' }, 'Every loaded item line; filter, page through and export.'),
      ),
      panel('Filters', [form], { testid: 'tx-filter-panel' }),
      panel(
        'Lines',
        [
          h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'data-table tx-table', testid: 'tx-table' },
              h('thead', null, head),
              this.tbody,
            ),
          ),
          this.status,
          h('div', { class: 'center' }, this.more),
        ],
        { testid: 'tx-panel' },
      ),
    );
    void this.load(false);
  }

  private filter(): Record<string, string | undefined> {
    const i = this.inputs;
    const out: Record<string, string | undefined> = {
      from: i.from.value,
      to: i.to.value,
      branch: i.branch.value,
      pos: i.pos.value,
      daypart: i.daypart.value,
    };
    for (const k of TEXT_FILTERS) out[k] = i[k].value.trim() || undefined;
    return out;
  }

  private legacyQuery(): Record<string, string | undefined> {
    const f = this.filter();
    if (f.branch && f.pos && f.from === f.to) return { branch: f.branch, pos: f.pos, date: f.from };
    return { from: f.from, to: f.to, branch: f.branch };
  }

  private async load(append: boolean): Promise<void> {
    if (append && this.cursor === null) return;
    const gen = ++this.generation;
    const q = {
      ...this.filter(),
      sort: this.inputs.sort.value,
      limit: PAGE,
      cursor: append ? (this.cursor ?? undefined) : undefined,
    };
    if (!append) {
      setHashParams('/transactions', { ...this.filter(), sort: q.sort === '-date' ? undefined : q.sort });
      this.shown = 0;
      this.cursor = null;
      this.more.hidden = true;
      this.status.textContent = 'Loading…';
      mount(this.tbody, h('tr', null, h('td', { colspan: '8' }, loading())));
    }
    this.more.disabled = true;
    try {
      const page = await api.get<TransactionsPage>('/transactions', q);
      if (gen !== this.generation) return;
      if (!append) this.tbody.replaceChildren();
      this.tbody.append(...page.items.map(row));
      this.shown += page.items.length;
      this.cursor = page.nextCursor;
      this.more.hidden = page.nextCursor === null;
      this.status.textContent =
        this.shown === 0
          ? 'No lines match these filters.'
          : `${integer(this.shown)} line${this.shown === 1 ? '' : 's'} shown${page.nextCursor ? ' · more available' : ''}`;
    } catch (err) {
      if (gen !== this.generation) return;
      if (!append) this.tbody.replaceChildren();
      mount(this.status, errorBox(err));
    } finally {
      this.more.disabled = false;
    }
  }
}

function row(r: TransactionRow): HTMLTableRowElement {
  return h(
    'tr',
    { testid: 'tx-row', class: r.isModifier ? 'is-modifier' : '' },
    h('td', { 'data-label': 'Date' }, r.date),
    h('td', { 'data-label': 'Time' }, r.time || '–'),
    h('td', { 'data-label': 'Branch' }, r.branch),
    h('td', { 'data-label': 'POS' }, String(r.pos)),
    h(
      'td',
      {
        'data-label': 'Product',
        class: 'product-cell',
        title: `${r.itemCode} · ${r.departmentName} · receipt ${r.receiptNo}`,
      },
      r.productName || r.productClean,
    ),
    h('td', { 'data-label': 'Qty', class: 'num' }, quantity(r.quantity)),
    h('td', { 'data-label': 'Amount', class: 'num' }, moneyE4(r.amountE4)),
    h('td', { 'data-label': 'Payment' }, r.paymentName || '–'),
  );
}
