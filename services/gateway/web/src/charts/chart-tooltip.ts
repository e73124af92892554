import { h } from '../dom.js';

/**
 * One floating tooltip per chart, shown on pointer hover and on keyboard
 * focus of a data mark (every mark is focusable and carries its own
 * `<title>` and `aria-label`, so screen readers get the same figures).
 */
export class ChartTooltip {
  readonly el = h('div', { class: 'chart-tooltip', role: 'status', 'aria-live': 'polite', hidden: true });

  constructor(private readonly host: HTMLElement) {
    host.append(this.el);
  }

  /** Wires a mark: hover and focus show `lines`, leaving hides them. */
  attach(mark: SVGElement, lines: readonly string[]): void {
    const show = (x: number, y: number) => this.show(lines, x, y);
    mark.addEventListener('pointerenter', (e) => show(e.clientX, e.clientY));
    mark.addEventListener('pointermove', (e) => show(e.clientX, e.clientY));
    mark.addEventListener('pointerleave', () => this.hide());
    mark.addEventListener('focus', () => {
      const r = mark.getBoundingClientRect();
      show(r.left + r.width / 2, r.top);
    });
    mark.addEventListener('blur', () => this.hide());
  }

  private show(lines: readonly string[], clientX: number, clientY: number): void {
    this.el.replaceChildren(...lines.map((l, i) => h(i === 0 ? 'strong' : 'div', null, l)));
    this.el.hidden = false;
    const box = this.host.getBoundingClientRect();
    const w = this.el.offsetWidth;
    const left = Math.min(Math.max(clientX - box.left - w / 2, 0), Math.max(box.width - w, 0));
    this.el.style.left = `${left}px`;
    this.el.style.top = `${Math.max(clientY - box.top - this.el.offsetHeight - 10, 0)}px`;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
