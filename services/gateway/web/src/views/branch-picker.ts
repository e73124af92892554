import { h, mount } from '../dom.js';

/**
 * A searchable checkbox list of branches with "all": friendlier than a
 * `<select multiple>` on a phone. Nothing ticked = all branches.
 */
export function branchPicker(testid: string): {
  el: HTMLElement;
  setOptions: (branches: readonly string[]) => void;
  setError: (message: string) => void;
  /** Undefined = all branches. */
  selected: () => string[] | undefined;
} {
  const chosen = new Set<string>();
  let options: readonly string[] = [];
  const search = h('input', {
    type: 'search',
    placeholder: 'Filter branches',
    'aria-label': 'Filter branches',
    testid: `${testid}-search`,
  });
  const list = h('div', { class: 'picker-list', role: 'group', 'aria-label': 'Branches' });
  const summary = h('span', { class: 'muted', testid: `${testid}-summary` }, 'All branches');
  const clear = h('button', { type: 'button', class: 'btn btn-ghost btn-small' }, 'All');
  const draw = () => {
    const q = search.value.trim().toUpperCase();
    const shown = options.filter((b) => b.includes(q));
    mount(
      list,
      ...shown.map((b) => {
        const box = h('input', {
          type: 'checkbox',
          value: b,
          checked: chosen.has(b),
          testid: `${testid}-option`,
        });
        box.addEventListener('change', () => {
          if (box.checked) chosen.add(b);
          else chosen.delete(b);
          summarise();
        });
        return h('label', { class: 'check' }, box, b);
      }),
    );
    if (shown.length === 0)
      list.append(h('p', { class: 'empty' }, options.length ? 'No branch matches.' : 'Loading branches…'));
  };
  const summarise = () => {
    summary.textContent =
      chosen.size === 0 ? 'All branches' : `${chosen.size} selected: ${[...chosen].sort().join(', ')}`;
  };
  search.addEventListener('input', draw);
  clear.addEventListener('click', () => {
    chosen.clear();
    summarise();
    draw();
  });
  draw();
  return {
    el: h(
      'div',
      { class: 'picker', testid },
      h('div', { class: 'picker-head' }, search, clear),
      list,
      summary,
    ),
    setOptions: (branches) => {
      options = branches;
      draw();
    },
    setError: (message) => mount(list, h('p', { class: 'notice notice-bad' }, message)),
    selected: () => (chosen.size === 0 ? undefined : [...chosen].sort()),
  };
}
