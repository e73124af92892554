import type { SalesGroup, SalesReport } from '@posflow/contracts';
import { api } from '../api.client.js';
import { barChart } from '../charts/bar-chart.js';
import { lineChart } from '../charts/line-chart.js';
import { field, h, mount } from '../dom.js';
import { addDays, change, integer, money, moneyE4, quantity, shortDate, todayIso } from '../format.js';
import { daySeries, daypartGroups, groupDetails, groupLabel, hourGroups, pesos } from '../sales-series.js';
import { limited } from '../limit.js';
import { knownBranches } from '../session.js';
import { errorBox, kpi, loading, panel } from '../ui.js';
import { setHashParams, type View } from '../view.js';

interface ChartDef {
  groupBy: SalesGroup;
  title: string;
  orientation: 'horizontal' | 'vertical';
  limit?: number;
  compare?: boolean;
}

const BAR_CHARTS: readonly ChartDef[] = [
  { groupBy: 'hour', title: 'Sales by hour', orientation: 'vertical', compare: true },
  { groupBy: 'daypart', title: 'Sales by daypart', orientation: 'vertical', compare: true },
  { groupBy: 'product', title: 'Top products', orientation: 'horizontal', limit: 15 },
  { groupBy: 'department', title: 'Sales by department', orientation: 'horizontal', limit: 20 },
  { groupBy: 'category', title: 'Sales by category', orientation: 'horizontal', limit: 20 },
  { groupBy: 'payment', title: 'Sales by payment', orientation: 'horizontal', limit: 20 },
];

/** Sales with last year, by day, hour, daypart, product, department, category and payment. */
export class SalesView implements View {
  private readonly inputs = {
    from: h('input', { type: 'date', required: true, testid: 'sales-from' }),
    to: h('input', { type: 'date', required: true, testid: 'sales-to' }),
    branch: h('select', { testid: 'sales-branch' }, h('option', { value: '' }, 'All branches')),
    excludeModifiers: h('input', { type: 'checkbox', testid: 'sales-exclude-modifiers' }),
    compare: h('input', { type: 'checkbox', checked: true, testid: 'sales-compare' }),
  };
  private readonly kpis = h('div', { class: 'kpis', testid: 'sales-kpis' });
  private readonly dayHost = h('div');
  private readonly barHosts = BAR_CHARTS.map(() => h('div'));
  private generation = 0;
  /** Reports are costly for the server: leaving the screen or asking again cancels the ones in flight. */
  private inFlight: AbortController | null = null;
  /** Reports shown, kept to redraw the charts at a new width. */
  private dayReport: SalesReport | null = null;
  private barReports: (SalesReport | null)[] = BAR_CHARTS.map(() => null);
  private drawnWidth = 0;
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onResize = () => {
    clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => this.redraw(), 200);
  };

  render(root: HTMLElement, params: URLSearchParams): void {
    const i = this.inputs;
    i.to.value = params.get('to') ?? addDays(todayIso(), -1);
    i.from.value = params.get('from') ?? addDays(i.to.value, -27);
    i.excludeModifiers.checked = params.get('excludeModifiers') === '1';
    i.compare.checked = params.get('compare') !== '0';
    const wantBranch = params.get('branch') ?? '';
    if (wantBranch) i.branch.append(h('option', { value: wantBranch, selected: true }, wantBranch));
    void knownBranches().then(
      (bs) => i.branch.append(...bs.filter((b) => b !== wantBranch).map((b) => h('option', { value: b }, b))),
      () => undefined,
    );
    const form = h(
      'form',
      { class: 'toolbar', testid: 'sales-form' },
      field('From', i.from),
      field('To', i.to),
      field('Branch', i.branch),
      h('label', { class: 'check' }, i.excludeModifiers, 'Exclude modifiers'),
      h('label', { class: 'check' }, i.compare, 'Compare with last year'),
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'sales-apply' }, 'Show'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.load();
    });
    root.append(
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, 'Sales'),
        h(
          'p',
          { class: 'muted' },
          'Sales, transaction count (TC) and average check (AC), from the loaded rollups.',
        ),
      ),
      panel('Period', [form, this.kpis], { testid: 'sales-period' }),
      panel('Sales by day', [this.dayHost], { testid: 'sales-day-panel', className: 'panel-wide' }),
      h(
        'div',
        { class: 'chart-grid' },
        ...BAR_CHARTS.map((c, n) =>
          panel(c.title, [this.barHosts[n]!], { testid: `sales-${c.groupBy}-panel` }),
        ),
      ),
    );
    window.addEventListener('resize', this.onResize);
    void this.load();
  }

  dispose(): void {
    window.removeEventListener('resize', this.onResize);
    clearTimeout(this.resizeTimer);
    this.inFlight?.abort();
  }

  /** Charts are laid out in real pixels (readable text on a phone), so a new width redraws them. */
  private redraw(): void {
    if (Math.abs(this.dayHost.clientWidth - this.drawnWidth) < 40) return;
    if (this.dayReport) this.drawDays(this.dayReport);
    this.barReports.forEach((r, n) => {
      if (r) mount(this.barHosts[n]!, this.barChartFor(BAR_CHARTS[n]!, r, this.barHosts[n]!.clientWidth));
    });
  }

  private query(groupBy: SalesGroup, extra: { limit?: number | undefined; compare?: boolean } = {}) {
    const i = this.inputs;
    return {
      from: i.from.value,
      to: i.to.value,
      groupBy,
      branch: i.branch.value,
      excludeModifiers: i.excludeModifiers.checked ? 'true' : undefined,
      compare: extra.compare && i.compare.checked ? 'previous-year' : undefined,
      limit: extra.limit,
    };
  }

  private async load(): Promise<void> {
    const gen = ++this.generation;
    const i = this.inputs;
    setHashParams('/sales', {
      from: i.from.value,
      to: i.to.value,
      branch: i.branch.value || undefined,
      excludeModifiers: i.excludeModifiers.checked ? '1' : undefined,
      compare: i.compare.checked ? undefined : '0',
    });
    mount(this.kpis, loading());
    mount(this.dayHost, loading());
    for (const host of this.barHosts) mount(host, loading());
    this.inFlight?.abort();
    const ctrl = new AbortController();
    this.inFlight = ctrl;
    // The daily report first; the others queue behind it, three at a time.
    const run = limited(3);
    const day = run(() =>
      api.get<SalesReport>('/reports/sales', this.query('day', { compare: true }), ctrl.signal),
    );
    const bars = BAR_CHARTS.map((c) =>
      run(() => api.get<SalesReport>('/reports/sales', this.query(c.groupBy, c), ctrl.signal)),
    );
    try {
      const report = await day;
      if (gen !== this.generation) return;
      this.drawKpis(report);
      this.drawDays(report);
    } catch (err) {
      if (gen !== this.generation) return;
      mount(this.kpis, errorBox(err));
      mount(this.dayHost);
    }
    await Promise.all(
      bars.map(async (p, n) => {
        const host = this.barHosts[n]!;
        const def = BAR_CHARTS[n]!;
        try {
          const r = await p;
          if (gen !== this.generation) return;
          this.barReports[n] = r;
          mount(host, this.barChartFor(def, r, host.clientWidth));
        } catch (err) {
          if (gen === this.generation) mount(host, errorBox(err));
        }
      }),
    );
  }

  private drawKpis(r: SalesReport): void {
    const t = r.total;
    const p = r.previousTotal;
    const vs = (cur: number, prev: number | undefined) =>
      p ? `${change(cur, prev) || '–'} vs last year` : undefined;
    mount(
      this.kpis,
      kpi('Sales', money(t.sales), vs(t.salesE4, p?.salesE4), 'kpi-sales'),
      kpi('TC (transactions)', integer(t.tc), vs(t.tc, p?.tc), 'kpi-tc'),
      kpi('AC (average check)', money(t.ac), p?.ac ? `last year ${money(p.ac)}` : undefined, 'kpi-ac'),
      kpi('Quantity', quantity(t.quantity), vs(t.quantity, p?.quantity), 'kpi-quantity'),
    );
  }

  private drawDays(r: SalesReport): void {
    this.dayReport = r;
    this.drawnWidth = this.dayHost.clientWidth;
    const s = daySeries(r);
    if (s.dates.length === 0 || r.groups.length === 0)
      return mount(
        this.dayHost,
        h('p', { class: 'empty', testid: 'sales-day-empty' }, 'No sales loaded for this period.'),
      );
    const fmt = (v: number) => money(v.toFixed(4));
    mount(
      this.dayHost,
      lineChart({
        title: `Sales by day, ${r.from} to ${r.to}`,
        description: `Daily sales in pesos${s.previous ? ', with the same days last year' : ''}. Total ${money(r.total.sales)}.`,
        labels: s.dates.map((d) => String(Number(d.slice(8)))),
        tooltipLabels: s.dates.map((d) => `${shortDate(d)} ${d.slice(0, 4)}`),
        series: [
          { name: 'This year', className: 'series-current', values: s.current, format: fmt },
          ...(s.previous
            ? [{ name: 'Last year', className: 'series-previous', values: s.previous, format: fmt }]
            : []),
        ],
        testid: 'sales-day-chart',
        width: this.drawnWidth,
      }),
    );
  }

  private barChartFor(def: ChartDef, r: SalesReport, width: number): HTMLElement {
    const groups =
      def.groupBy === 'hour' ? hourGroups(r) : def.groupBy === 'daypart' ? daypartGroups(r) : r.groups;
    return barChart({
      title: `${def.title}, ${r.from} to ${r.to}`,
      description: `Sales in pesos per ${def.groupBy}; total ${money(r.total.sales)}, TC ${integer(r.total.tc)}, AC ${money(r.total.ac)}.`,
      orientation: def.orientation,
      bars: groups.map((g) => ({
        label: groupLabel(r.groupBy, g.key),
        value: pesos(g.salesE4),
        previous: g.previous ? pesos(g.previous.salesE4) : undefined,
        details: groupDetails(g),
      })),
      valueLabel: (v) => moneyE4(Math.round(v * 10_000), 0),
      testid: `sales-${def.groupBy}-chart`,
      width,
    });
  }
}
