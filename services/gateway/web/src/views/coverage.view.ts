import type { CoverageGrid } from '@posflow/contracts';
import { api } from '../api.client.js';
import { field, h, mount } from '../dom.js';
import { dayOfMonth, integer, monthBounds, shortDate, todayIso } from '../format.js';
import { TONES, toneOf } from '../status.js';
import { errorBox, loading, panel } from '../ui.js';
import { setHashParams, type View } from '../view.js';
import { CellDetail } from './cell-detail.view.js';

type Row = CoverageGrid['rows'][number];

/**
 * The coverage grid: one small cell per (branch, pos, date), coloured by
 * partition status. A cell is a button; clicking it opens its details.
 */
export class CoverageView implements View {
  private readonly detail = new CellDetail(() => void this.load());
  private month = todayIso().slice(0, 7);
  private branchFilter = '';
  private grid: CoverageGrid | null = null;
  private gridHost = h('div', { class: 'coverage-host' });
  private summaryHost = h('div', { class: 'coverage-summary', testid: 'coverage-summary' });

  render(root: HTMLElement, params: URLSearchParams): void {
    this.month = params.get('month') ?? this.month;
    this.branchFilter = params.get('branch') ?? '';
    const monthInput = h('input', {
      type: 'month',
      value: this.month,
      testid: 'coverage-month',
      required: true,
    });
    const filterInput = h('input', {
      type: 'search',
      value: this.branchFilter,
      placeholder: 'e.g. AYALA',
      testid: 'coverage-branch-filter',
    });
    monthInput.addEventListener('change', () => {
      if (!monthInput.value) return;
      this.month = monthInput.value;
      void this.load();
    });
    filterInput.addEventListener('input', () => {
      this.branchFilter = filterInput.value.trim().toUpperCase();
      this.syncHash();
      this.drawGrid();
    });
    const legend = h(
      'ul',
      { class: 'legend coverage-legend', testid: 'coverage-legend', 'aria-label': 'Legend' },
      ...TONES.map((t) =>
        h(
          'li',
          { class: 'legend-item' },
          h('i', { class: `cell-swatch tone-${t.tone}`, 'aria-hidden': 'true' }),
          t.label,
        ),
      ),
    );
    root.append(
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, 'Coverage'),
        h(
          'p',
          { class: 'muted' },
          'Every branch, terminal and day: what is loaded, in progress, empty or failed.',
        ),
      ),
      panel(
        'Month',
        [
          h('div', { class: 'toolbar' }, field('Month', monthInput), field('Branch', filterInput)),
          legend,
          this.summaryHost,
          this.gridHost,
        ],
        { testid: 'coverage-panel' },
      ),
      this.detail.el,
    );
    void this.load();
  }

  dispose(): void {
    this.detail.close();
  }

  private syncHash(): void {
    setHashParams('/coverage', { month: this.month, branch: this.branchFilter || undefined });
  }

  private async load(): Promise<void> {
    this.syncHash();
    mount(this.gridHost, loading('Loading coverage…'));
    const { from, to } = monthBounds(this.month);
    try {
      this.grid = await api.get<CoverageGrid>('/coverage', { from, to });
      this.drawGrid();
    } catch (err) {
      mount(this.gridHost, errorBox(err));
    }
  }

  private drawGrid(): void {
    const g = this.grid;
    if (!g) return;
    const rows = g.rows.filter((r) => !this.branchFilter || r.branch.includes(this.branchFilter));
    mount(
      this.summaryHost,
      ...TONES.filter((t) => t.tone !== 'none').map((t) =>
        h(
          'span',
          { class: 'summary-chip', testid: `coverage-total-${t.tone}` },
          h('i', { class: `cell-swatch tone-${t.tone}`, 'aria-hidden': 'true' }),
          `${t.label}: `,
          h('strong', null, integer(countTone(rows, t.tone))),
        ),
      ),
    );
    if (rows.length === 0) {
      mount(this.gridHost, h('p', { class: 'empty' }, 'No branch matches.'));
      return;
    }
    const today = todayIso();
    const head = h(
      'tr',
      null,
      h('th', { class: 'sticky-col', scope: 'col' }, 'Branch · POS'),
      ...g.dates.map((d) =>
        h(
          'th',
          {
            scope: 'col',
            class: `day-head ${d === today ? 'is-today' : ''} ${isWeekend(d) ? 'is-weekend' : ''}`,
            title: shortDate(d),
          },
          dayOfMonth(d),
        ),
      ),
    );
    const body = h('tbody');
    let previous = '';
    for (const row of rows) {
      body.append(this.gridRow(row, g.dates, row.branch !== previous));
      previous = row.branch;
    }
    const table = h(
      'table',
      { class: 'coverage-grid', testid: 'coverage-grid', 'aria-label': `Coverage for ${this.month}` },
      h('thead', null, head),
      body,
    );
    table.addEventListener('click', (e) => {
      const cell = (e.target as Element).closest<HTMLButtonElement>('button.cell');
      if (!cell) return;
      const { branch, pos, date } = cell.dataset;
      if (branch && pos && date) void this.detail.open({ branch, pos: Number(pos), date }, cell);
    });
    mount(this.gridHost, h('div', { class: 'table-scroll' }, table));
  }

  private gridRow(row: Row, dates: readonly string[], firstOfBranch: boolean): HTMLTableRowElement {
    const tr = h('tr', { class: firstOfBranch ? 'branch-start' : '' });
    tr.append(
      h(
        'th',
        { scope: 'row', class: 'sticky-col row-head' },
        h('span', { class: 'row-branch' }, row.branch),
        h('span', { class: 'row-pos' }, `POS ${row.pos}`),
      ),
    );
    row.cells.forEach((c, i) => {
      const date = dates[i] ?? '';
      const tone = toneOf(c?.status, c?.knownEmpty);
      const status = c ? `${c.status}${c.knownEmpty ? ' (known empty)' : ''}` : 'not requested';
      const label = `${row.branch} POS ${row.pos} ${date}: ${status}${c && c.rows > 0 ? `, ${integer(c.rows)} rows` : ''}`;
      tr.append(
        h(
          'td',
          null,
          h('button', {
            type: 'button',
            class: `cell tone-${tone}`,
            title: label,
            'aria-label': label,
            testid: 'coverage-cell',
            'data-branch': row.branch,
            'data-pos': String(row.pos),
            'data-date': date,
            'data-status': c?.status ?? 'none',
            'data-tone': tone,
          }),
        ),
      );
    });
    return tr;
  }
}

function countTone(rows: readonly Row[], tone: string): number {
  let n = 0;
  for (const r of rows) for (const c of r.cells) if (toneOf(c?.status, c?.knownEmpty) === tone) n++;
  return n;
}

function isWeekend(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return d === 0 || d === 6;
}
