import type { QueuesView as QueuesData, RequeueResult } from '@posflow/contracts';
import { api } from '../api.client.js';
import { h, mount } from '../dom.js';
import { integer } from '../format.js';
import { session } from '../session.js';
import { actionButton, errorBox, loading, panel } from '../ui.js';
import type { View } from '../view.js';

const REFRESH_MS = 5_000;

/** Queue depth per stage, dead letters and a requeue button; refreshed while open. */
export class QueuesView implements View {
  private readonly host = h('div', { class: 'queues-host' }, loading());
  private timer: ReturnType<typeof setInterval> | undefined;

  render(root: HTMLElement): void {
    root.append(
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, 'Queues'),
        h('p', { class: 'muted' }, `Work waiting per stage (refreshed every ${REFRESH_MS / 1000} s).`),
      ),
      panel('Stages', [this.host], { testid: 'queues-panel' }),
    );
    void this.load();
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private async load(): Promise<void> {
    try {
      const q = await api.get<QueuesData>('/queues');
      mount(this.host, this.table(q));
    } catch (err) {
      mount(this.host, errorBox(err));
    }
  }

  private table(q: QueuesData): HTMLElement {
    const head = h(
      'tr',
      null,
      ...['Stage', 'Ready', 'In flight', 'Consumers', 'Retrying', 'Dead letters', ''].map((c) =>
        h('th', { scope: 'col' }, c),
      ),
    );
    const rows = q.stages.map((s) =>
      h(
        'tr',
        { testid: 'queue-row', 'data-stage': s.stage },
        h('th', { scope: 'row' }, s.stage),
        h('td', { class: 'num', 'data-label': 'Ready', testid: 'queue-ready' }, integer(s.ready)),
        h('td', { class: 'num', 'data-label': 'In flight' }, integer(s.unacked)),
        h(
          'td',
          { class: `num ${s.consumers === 0 ? 'text-bad' : ''}`, 'data-label': 'Consumers' },
          integer(s.consumers),
        ),
        h('td', { class: 'num', 'data-label': 'Retrying' }, integer(s.retrying)),
        h(
          'td',
          {
            class: `num ${s.deadLetters > 0 ? 'text-bad' : ''}`,
            'data-label': 'Dead letters',
            testid: 'queue-dead',
          },
          integer(s.deadLetters),
        ),
        h(
          'td',
          { class: 'actions-cell' },
          session.readOnly
            ? null
            : actionButton(
                'Requeue dead letters',
                async () => {
                  const r = await api.post<RequeueResult>(
                    `/queues/${encodeURIComponent(s.stage)}/dead-letter/requeue`,
                    {},
                  );
                  void this.load();
                  return `${r.stage}: ${r.requeued} requeued, ${r.left} left`;
                },
                {
                  testid: 'queue-requeue',
                  variant: 'ghost',
                  disabled: s.deadLetters === 0,
                  confirm: `Move the ${s.stage} dead letters back to work?`,
                },
              ),
        ),
      ),
    );
    return h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data-table queues-table', testid: 'queues-table' },
        h('thead', null, head),
        h('tbody', null, ...rows),
      ),
    );
  }
}
