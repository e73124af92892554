import type { JobProgressView } from '@posflow/contracts';
import { api } from '../api.client.js';
import type { JobListItem } from '../api-types.js';
import { h, mount } from '../dom.js';
import { integer, timestamp } from '../format.js';
import { session } from '../session.js';
import { TERMINAL_JOB_STATUSES, jobTone } from '../status.js';
import { subscribe } from '../sse.reader.js';
import { actionButton, badge, progressBar, updateProgress } from '../ui.js';

/**
 * One job: status, a progress bar fed live by the job's event stream while it
 * runs, counts per partition status, failure reasons, retry and cancel.
 */
export class JobCard {
  readonly el: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly statusHost = h('span');
  private readonly figures = h('div', { class: 'job-figures', testid: 'job-figures' });
  private readonly failures = h('div', { class: 'job-failures' });
  private readonly actions = h('div', { class: 'action-row' });
  private stop: (() => void) | null = null;

  constructor(
    private readonly job: JobListItem,
    private readonly onChanged: () => void,
  ) {
    this.bar = progressBar(0, job.total, 'job-progress');
    // Unknown until the first view arrives: no "0%" that would read as "nothing done".
    this.bar.removeAttribute('aria-valuenow');
    this.bar.dataset.percent = '';
    this.bar.classList.add('is-pending');
    this.el = h(
      'article',
      { class: 'job-card', testid: 'job-card', 'data-job-id': job.id, 'data-status': job.status },
      h(
        'header',
        { class: 'job-head' },
        h(
          'div',
          null,
          h('strong', { class: 'job-kind' }, kindLabel(job.kind)),
          h('span', { class: 'muted job-meta' }, ` ${describe(job.request)}`),
        ),
        this.statusHost,
      ),
      h(
        'div',
        { class: 'job-progress-row' },
        this.bar,
        h('span', { class: 'job-percent', testid: 'job-percent' }, '…'),
      ),
      this.figures,
      this.failures,
      h(
        'footer',
        { class: 'job-foot' },
        h(
          'span',
          { class: 'muted' },
          `${job.createdBy} · ${timestamp(job.createdAt)} · ${job.id.slice(0, 8)}`,
        ),
        this.actions,
      ),
    );
    this.setStatus(job.status);
  }

  /** Loads the full view once, then follows the event stream while the job runs. */
  start(): void {
    if (TERMINAL_JOB_STATUSES.has(this.job.status)) {
      void api.get<JobProgressView>(`/jobs/${encodeURIComponent(this.job.id)}`).then(
        (v) => this.update(v),
        () => undefined,
      );
      return;
    }
    this.follow();
  }

  private follow(): void {
    this.stop?.();
    this.stop = subscribe(`/jobs/${encodeURIComponent(this.job.id)}/events`, (e) => {
      if (e.event !== 'progress' && e.event !== 'end') return;
      const view = JSON.parse(e.data) as JobProgressView | null;
      if (view) this.update(view);
      if (e.event === 'end') this.dispose();
    });
  }

  dispose(): void {
    this.stop?.();
    this.stop = null;
  }

  update(v: JobProgressView): void {
    updateProgress(this.bar, v.done, v.total);
    this.bar.classList.remove('is-pending');
    const pct = this.bar.dataset.percent ?? '0';
    (this.el.querySelector('[data-testid="job-percent"]') as HTMLElement).textContent = `${pct}%`;
    this.setStatus(v.status);
    const counts = Object.entries(v.counts).filter(([, n]) => n > 0);
    mount(
      this.figures,
      h(
        'span',
        { testid: 'job-done' },
        h('strong', null, `${integer(v.done)} / ${integer(v.total)}`),
        ' partitions finished',
      ),
      h('span', null, h('strong', null, integer(v.rowsLoaded)), ' rows loaded'),
      v.rowsDropped > 0 ? h('span', null, h('strong', null, integer(v.rowsDropped)), ' dropped') : null,
      ...counts.map(([status, n]) =>
        h('span', { class: `count-chip status-${status}` }, `${status} ${integer(n)}`),
      ),
    );
    const failed = v.failures ?? [];
    mount(
      this.failures,
      failed.length
        ? h(
            'details',
            { class: 'failures', testid: 'job-failures', open: failed.length <= 3 },
            h('summary', null, `${failed.length} failed partition${failed.length === 1 ? '' : 's'}`),
            h(
              'ul',
              null,
              ...failed
                .slice(0, 50)
                .map((f) =>
                  h(
                    'li',
                    { testid: 'job-failure' },
                    h('code', null, f.partition),
                    ` ${f.stage}: ${f.reason}`,
                    f.attempts > 1 ? h('span', { class: 'muted' }, ` (${f.attempts} attempts)`) : null,
                  ),
                ),
            ),
          )
        : null,
    );
    this.drawActions(v.status, v.counts.failed ?? 0);
  }

  private setStatus(status: string): void {
    this.el.dataset.status = status;
    mount(this.statusHost, badge(status, jobTone(status), 'job-status'));
  }

  private drawActions(status: string, failed: number): void {
    if (session.readOnly) return mount(this.actions);
    const id = encodeURIComponent(this.job.id);
    mount(
      this.actions,
      failed > 0 && status !== 'cancelled'
        ? actionButton(
            `Retry ${failed} failed`,
            async () => {
              const r = await api.post<{ requeued: number }>(`/jobs/${id}/retry-failed`, {});
              this.follow();
              return `${r.requeued} partitions re-enqueued`;
            },
            { testid: 'job-retry', variant: 'primary' },
          )
        : null,
      status === 'running'
        ? actionButton(
            'Cancel',
            async () => {
              const v = await api.post<JobProgressView>(`/jobs/${id}/cancel`, {});
              this.update(v);
              this.dispose();
              this.onChanged();
              return 'Job cancelled';
            },
            {
              testid: 'job-cancel',
              variant: 'danger',
              confirm: 'Cancel this job? Queued work for it is skipped.',
            },
          )
        : null,
    );
  }
}

function kindLabel(kind: string): string {
  return (
    (
      {
        range: 'Backfill',
        missing: 'Missing days',
        recombine: 'Re-combine',
        upload: 'Upload',
        daily: 'Daily run',
      } as Record<string, string>
    )[kind] ?? kind
  );
}

/** A one-line summary of what was asked. */
function describe(req: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof req.from === 'string' && typeof req.to === 'string')
    parts.push(req.from === req.to ? req.from : `${req.from} → ${req.to}`);
  if (Array.isArray(req.branches))
    parts.push(req.branches.length > 3 ? `${req.branches.length} branches` : req.branches.join(', '));
  if (Array.isArray(req.pos)) parts.push(`POS ${req.pos.join(',')}`);
  if (req.force === true) parts.push('forced');
  if (req.branches_missing && typeof req.branches_missing === 'object')
    parts.push(`${Object.keys(req.branches_missing).length} branches`);
  return parts.join(' · ');
}
