import type { EnqueueResult } from '@posflow/contracts';
import { api } from '../api.client.js';
import { field, h } from '../dom.js';
import { addDays, todayIso } from '../format.js';
import { knownBranches } from '../session.js';
import { errorText, toast } from '../ui.js';
import { branchPicker } from './branch-picker.js';

/**
 * Start a backfill: a date range, some or all branches, the POS terminals.
 * Posts `/fetch/range` and hands the new job to `onStarted`.
 */
export function backfillForm(onStarted: (r: EnqueueResult) => void): HTMLElement {
  const yesterday = addDays(todayIso(), -1);
  const from = h('input', {
    type: 'date',
    value: addDays(yesterday, -6),
    required: true,
    testid: 'backfill-from',
  });
  const to = h('input', { type: 'date', value: yesterday, required: true, testid: 'backfill-to' });
  const picker = branchPicker('backfill-branches');
  void knownBranches().then(picker.setOptions, (err: unknown) => picker.setError(errorText(err)));
  const posBoxes = [1, 2, 3, 4].map((n) =>
    h('input', { type: 'checkbox', value: String(n), checked: n <= 2, testid: `backfill-pos-${n}` }),
  );
  const force = h('input', { type: 'checkbox', testid: 'backfill-force' });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary', testid: 'backfill-submit' },
    'Start backfill',
  );
  const form = h(
    'form',
    { class: 'backfill-form', testid: 'backfill-form' },
    h('div', { class: 'form-grid' }, field('From', from), field('To', to)),
    h('fieldset', { class: 'field' }, h('legend', { class: 'field-label' }, 'Branches'), picker.el),
    h(
      'fieldset',
      { class: 'field' },
      h('legend', { class: 'field-label' }, 'POS terminals'),
      h(
        'div',
        { class: 'checks' },
        ...posBoxes.map((b) => h('label', { class: 'check' }, b, `POS ${b.value}`)),
      ),
    ),
    h('label', { class: 'check' }, force, 'Re-fetch days already loaded'),
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const pos = posBoxes.filter((b) => b.checked).map((b) => Number(b.value));
    if (from.value > to.value) return toast('"From" is after "To".', 'bad');
    if (pos.length === 0) return toast('Pick at least one POS.', 'bad');
    const branches = picker.selected();
    submit.disabled = true;
    api
      .post<EnqueueResult>('/fetch/range', {
        from: from.value,
        to: to.value,
        pos,
        force: force.checked,
        ...(branches ? { branches } : {}),
      })
      .then((r) => {
        toast(
          `Backfill started: ${r.enqueued} of ${r.partitions} partitions enqueued${r.skipped ? `, ${r.skipped} skipped` : ''}.`,
          'ok',
        );
        onStarted(r);
      })
      .catch((err: unknown) => toast(errorText(err), 'bad'))
      .finally(() => (submit.disabled = false));
  });
  return form;
}
