import { MONITOR_KINDS } from '../monitor-kinds.js';
import { api } from '../api.client.js';
import type { ItemsPage, MonitorEntry } from '../api-types.js';
import { field, h, mount } from '../dom.js';
import { integer, timestamp } from '../format.js';
import { session } from '../session.js';
import { actionButton, badge, errorBox, loading, panel } from '../ui.js';
import { setHashParams, type View } from '../view.js';

/** What operators must look at, filterable by kind, with a resolve button per entry. */
export class MonitorView implements View {
  private readonly list = h('div', { class: 'monitor-list', testid: 'monitor-list' });
  private kind = '';
  private showResolved = false;

  render(root: HTMLElement, params: URLSearchParams): void {
    this.kind = params.get('kind') ?? '';
    this.showResolved = params.get('resolved') === '1';
    const kind = h(
      'select',
      { testid: 'monitor-kind' },
      h('option', { value: '' }, 'All kinds'),
      ...MONITOR_KINDS.map((k) => h('option', { value: k, selected: k === this.kind }, k)),
    );
    const resolved = h('input', {
      type: 'checkbox',
      checked: this.showResolved,
      testid: 'monitor-show-resolved',
    });
    kind.addEventListener('change', () => {
      this.kind = kind.value;
      void this.load();
    });
    resolved.addEventListener('change', () => {
      this.showResolved = resolved.checked;
      void this.load();
    });
    root.append(
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, 'Monitor'),
        h('p', { class: 'muted' }, 'Upstream errors, missing files, dropped rows and failed partitions.'),
      ),
      panel(
        'Entries',
        [
          h(
            'div',
            { class: 'toolbar' },
            field('Kind', kind),
            h('label', { class: 'check' }, resolved, 'Show resolved'),
          ),
          this.list,
        ],
        { testid: 'monitor-panel' },
      ),
    );
    void this.load();
  }

  private async load(): Promise<void> {
    setHashParams('/monitor', {
      kind: this.kind || undefined,
      resolved: this.showResolved ? '1' : undefined,
    });
    mount(this.list, loading());
    try {
      const page = await api.get<ItemsPage<MonitorEntry>>('/monitor', {
        kind: this.kind || undefined,
        resolved: this.showResolved ? undefined : false,
        limit: 300,
      });
      if (page.items.length === 0)
        return mount(
          this.list,
          h('p', { class: 'empty', testid: 'monitor-empty' }, 'Nothing to look at. 🎉'),
        );
      mount(this.list, ...page.items.map((m) => this.entry(m)));
    } catch (err) {
      mount(this.list, errorBox(err));
    }
  }

  private emptyNote(): HTMLElement {
    return h('p', { class: 'empty', testid: 'monitor-empty' }, 'Nothing to look at.');
  }

  private entry(m: MonitorEntry): HTMLElement {
    const where = [m.branch, m.pos !== undefined ? `POS ${m.pos}` : undefined, m.date]
      .filter(Boolean)
      .join(' · ');
    const el = h(
      'article',
      {
        class: `monitor-entry ${m.resolved ? 'is-resolved' : ''}`,
        testid: 'monitor-entry',
        'data-kind': m.kind,
      },
      h(
        'div',
        { class: 'monitor-head' },
        badge(m.kind, kindTone(m.kind)),
        h('span', { class: 'monitor-where' }, where || 'global'),
        m.count > 1 ? h('span', { class: 'muted' }, `×${integer(m.count)}`) : null,
      ),
      h('p', { class: 'monitor-detail' }, m.detail),
      m.samples?.length
        ? h(
            'details',
            { class: 'samples' },
            h('summary', null, `${m.samples.length} sample line${m.samples.length === 1 ? '' : 's'}`),
            h(
              'pre',
              null,
              m.samples.map((s) => `${s.line}: ${s.raw}${s.reason ? `  [${s.reason}]` : ''}`).join('\n'),
            ),
          )
        : null,
      h(
        'footer',
        { class: 'monitor-foot' },
        h(
          'span',
          { class: 'muted' },
          `last seen ${timestamp(m.lastSeen)}${m.resolvedBy ? ` · resolved by ${m.resolvedBy}` : ''}`,
        ),
        !m.resolved && !session.readOnly
          ? actionButton(
              'Resolve',
              async () => {
                await api.post(`/monitor/${encodeURIComponent(m.id)}/resolve`, {});
                if (this.showResolved) el.classList.add('is-resolved');
                else el.remove();
                if (!this.list.querySelector('[data-testid="monitor-entry"]'))
                  mount(this.list, this.emptyNote());
                return 'Resolved';
              },
              { testid: 'monitor-resolve', variant: 'ghost' },
            )
          : null,
      ),
    );
    return el;
  }
}

function kindTone(kind: string): string {
  if (kind === 'partition-failed' || kind === 'file-rejected') return 'bad';
  if (kind === 'upstream-error' || kind === 'source-changed') return 'warn';
  return 'info';
}
