import type { EnqueueResult, PartitionKey } from '@posflow/contracts';
import { api } from '../api.client.js';
import type { FileEntry, ItemsPage, MonitorEntry, PartitionEntry } from '../api-types.js';
import { h, mount } from '../dom.js';
import { integer, shortDate, timestamp } from '../format.js';
import { session } from '../session.js';
import { toneOf } from '../status.js';
import { actionButton, badge, errorBox, loading } from '../ui.js';

const idOf = (k: PartitionKey) => `${k.branch}_${k.pos}_${k.date}`;

/**
 * The drawer behind a coverage cell: the partition's status, its raw files
 * (downloadable), its monitor entries, and the operator's actions on it.
 */
export class CellDetail {
  readonly el: HTMLDialogElement = h('dialog', {
    class: 'drawer',
    testid: 'cell-detail',
    'aria-labelledby': 'cell-detail-title',
  });
  private opener: HTMLElement | null = null;

  constructor(private readonly onChanged: () => void) {
    this.el.addEventListener('close', () => this.opener?.focus());
    // A click on the backdrop (outside the drawer's box) closes it.
    this.el.addEventListener('click', (e) => {
      if (e.target === this.el) this.close();
    });
  }

  close(): void {
    if (this.el.open) this.el.close();
  }

  async open(key: PartitionKey, opener?: HTMLElement): Promise<void> {
    this.opener = opener ?? null;
    const closeBtn = h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-icon', 'aria-label': 'Close', testid: 'cell-detail-close' },
      '✕',
    );
    closeBtn.addEventListener('click', () => this.close());
    const body = h('div', { class: 'drawer-body' }, loading());
    mount(
      this.el,
      h(
        'header',
        { class: 'drawer-head' },
        h(
          'div',
          null,
          h('h2', { id: 'cell-detail-title', testid: 'cell-detail-title' }, `${key.branch} · POS ${key.pos}`),
          h('p', { class: 'muted' }, `${shortDate(key.date)} ${key.date.slice(0, 4)} · ${idOf(key)}`),
        ),
        closeBtn,
      ),
      body,
    );
    if (!this.el.open) this.el.showModal();
    try {
      const q = { branch: key.branch, pos: key.pos, date: key.date };
      const [parts, files, monitor] = await Promise.all([
        api.get<ItemsPage<PartitionEntry>>('/partitions', {
          from: key.date,
          to: key.date,
          branch: key.branch,
          pos: key.pos,
        }),
        api.get<ItemsPage<FileEntry>>('/files', q),
        api.get<ItemsPage<MonitorEntry>>('/monitor', {
          branch: key.branch,
          from: key.date,
          to: key.date,
          limit: 100,
        }),
      ]);
      const partition = parts.items[0] ?? null;
      mount(
        body,
        this.summary(key, partition, files.items.length),
        this.actions(key, partition, files.items.length),
        this.filesSection(files.items),
        this.monitorSection(monitor.items.filter((m) => m.pos === undefined || m.pos === key.pos)),
      );
    } catch (err) {
      mount(body, errorBox(err));
    }
  }

  private summary(key: PartitionKey, p: PartitionEntry | null, files: number): HTMLElement {
    if (!p)
      return h(
        'div',
        { class: 'detail-summary', testid: 'cell-status' },
        badge('not requested', 'none'),
        h('p', { class: 'muted' }, 'This partition was never fetched.'),
      );
    return h(
      'div',
      { class: 'detail-summary' },
      h(
        'div',
        { class: 'detail-status' },
        badge(p.status, `tone-${toneOf(p.status, p.knownEmpty)}`, 'cell-status'),
        p.knownEmpty ? badge('known empty', 'muted', 'cell-known-empty-badge') : null,
      ),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Rows loaded'),
        h('dd', { testid: 'cell-rows' }, integer(p.rowsLoaded)),
        h('dt', null, 'Rows dropped'),
        h('dd', null, integer(p.rowsDropped)),
        h('dt', null, 'Files'),
        h('dd', null, integer(files)),
        h('dt', null, 'Generation'),
        h('dd', null, String(p.generation)),
        h('dt', null, 'Updated'),
        h('dd', null, timestamp(p.updatedAt)),
      ),
      p.failure
        ? h(
            'div',
            { class: 'notice notice-bad', testid: 'cell-failure' },
            h('strong', null, `Failed at ${p.failure.stage} (attempt ${p.failure.attempts}): `),
            p.failure.reason,
          )
        : null,
      h('p', { class: 'sr-only' }, idOf(key)),
    );
  }

  private actions(key: PartitionKey, p: PartitionEntry | null, files: number): HTMLElement {
    const range = { from: key.date, to: key.date, branches: [key.branch], pos: [key.pos] };
    const enqueued = (r: EnqueueResult) =>
      r.enqueued > 0
        ? `Job ${r.jobId.slice(0, 8)}: ${r.enqueued} enqueued`
        : `Nothing enqueued (${Object.keys(r.skippedBy).join(', ') || 'skipped'})`;
    const write = !session.readOnly;
    return h(
      'div',
      { class: 'action-row', testid: 'cell-actions' },
      write
        ? actionButton(
            'Re-fetch',
            async () => {
              const r = await api.post<EnqueueResult>('/fetch/range', { ...range, force: true });
              this.onChanged();
              return enqueued(r);
            },
            {
              testid: 'cell-refetch',
              variant: 'primary',
              title: 'Fetch this day again from the POS upstream, even if loaded',
            },
          )
        : null,
      write && files > 0
        ? actionButton(
            'Re-combine',
            async () => {
              const r = await api.post<EnqueueResult>('/recombine', range);
              this.onChanged();
              return enqueued(r);
            },
            { testid: 'cell-recombine', title: 'Rebuild from the stored raw files' },
          )
        : null,
      write && (!p || p.generation === 0)
        ? actionButton(
            'Mark known-empty',
            async () => {
              await api.post(`/partitions/${encodeURIComponent(idOf(key))}/known-empty`, {});
              this.onChanged();
              await this.open(key, this.opener ?? undefined);
              return 'Marked as a closed day';
            },
            {
              testid: 'cell-known-empty',
              variant: 'ghost',
              confirm: `Mark ${idOf(key)} as a day the store was closed?`,
            },
          )
        : null,
      p && p.generation > 0
        ? actionButton(
            'Legacy CSV',
            async () => {
              const name = await api.download(
                '/export/legacy',
                { branch: key.branch, pos: key.pos, date: key.date },
                `${idOf(key)}.csv`,
              );
              return `Downloaded ${name}`;
            },
            { testid: 'cell-legacy-csv', variant: 'ghost' },
          )
        : null,
    );
  }

  private filesSection(files: readonly FileEntry[]): HTMLElement {
    const list = files.length
      ? h(
          'ul',
          { class: 'file-list', testid: 'cell-files' },
          ...files.map((f) =>
            h(
              'li',
              { class: 'file-item', testid: 'cell-file' },
              h(
                'div',
                { class: 'file-main' },
                h('span', { class: 'file-name' }, f.name),
                h(
                  'span',
                  { class: 'muted' },
                  `${f.type} · sent ${f.sendTime} · ${integer(f.dataRows)} rows · ${kb(f.size)}`,
                ),
              ),
              badge(f.status, f.status === 'chosen' ? 'ok' : f.status === 'rejected' ? 'bad' : 'muted'),
              actionButton(
                'Download',
                async () =>
                  `Downloaded ${await api.download(`/files/${encodeURIComponent(f.id)}/raw`, {}, f.name)}`,
                { testid: 'cell-file-download', variant: 'ghost' },
              ),
            ),
          ),
        )
      : h('p', { class: 'empty', testid: 'cell-files-empty' }, 'No raw files stored.');
    return h('section', { class: 'detail-section' }, h('h3', null, `Raw files (${files.length})`), list);
  }

  private monitorSection(entries: readonly MonitorEntry[]): HTMLElement {
    const list = entries.length
      ? h(
          'ul',
          { class: 'monitor-mini', testid: 'cell-monitor' },
          ...entries.map((m) =>
            h(
              'li',
              null,
              badge(m.kind, m.resolved ? 'muted' : 'warn'),
              h('span', null, m.detail),
              m.count > 1 ? h('span', { class: 'muted' }, ` ×${m.count}`) : null,
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'Nothing to look at.');
    return h('section', { class: 'detail-section' }, h('h3', null, `Monitor (${entries.length})`), list);
  }
}

const kb = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} kB`;
