import { api } from '../api.client.js';
import type { ItemsPage, JobListItem } from '../api-types.js';
import { h, mount } from '../dom.js';
import { session } from '../session.js';
import { errorBox, loading, panel } from '../ui.js';
import type { View } from '../view.js';
import { backfillForm } from './backfill.form.js';
import { JobCard } from './job-card.js';

/** Start a backfill and watch jobs progress live. */
export class JobsView implements View {
  private cards = new Map<string, JobCard>();
  private readonly list = h('div', { class: 'job-list', testid: 'job-list' });
  private timer: ReturnType<typeof setInterval> | undefined;

  render(root: HTMLElement): void {
    const refresh = h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-small', testid: 'jobs-refresh' },
      'Refresh',
    );
    refresh.addEventListener('click', () => void this.load());
    root.append(
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, 'Jobs'),
        h('p', { class: 'muted' }, 'Backfills, re-combines and uploads, with live progress.'),
      ),
      h(
        'div',
        { class: 'two-col' },
        session.readOnly
          ? null
          : panel('Start a backfill', [backfillForm(() => void this.load())], { testid: 'backfill-panel' }),
        panel('Recent jobs', [this.list], { testid: 'jobs-panel', actions: [refresh] }),
      ),
    );
    mount(this.list, loading('Loading jobs…'));
    void this.load();
    // New jobs from others (the daily run, uploads) show up without a reload.
    this.timer = setInterval(() => void this.load(true), 30_000);
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const c of this.cards.values()) c.dispose();
    this.cards.clear();
  }

  private async load(quiet = false): Promise<void> {
    try {
      const page = await api.get<ItemsPage<JobListItem>>('/jobs', { limit: 20 });
      // Cards already shown keep their live stream; only new jobs get a card.
      const next = new Map<string, JobCard>();
      const fresh: JobCard[] = [];
      for (const j of page.items) {
        let card = this.cards.get(j.id);
        if (!card) {
          card = new JobCard(j, () => void this.load(true));
          fresh.push(card);
        }
        next.set(j.id, card);
      }
      for (const [id, c] of this.cards) if (!next.has(id)) c.dispose();
      this.cards = next;
      if (next.size === 0) mount(this.list, h('p', { class: 'empty', testid: 'jobs-empty' }, 'No jobs yet.'));
      else mount(this.list, ...[...next.values()].map((c) => c.el));
      for (const c of fresh) c.start();
    } catch (err) {
      if (!quiet) mount(this.list, errorBox(err));
    }
  }
}
