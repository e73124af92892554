import { DEPARTMENTS, DISCOUNTS, PAYMENT_METHODS, type Product } from './catalogue.data.js';
import { fixed3, pyFloat, sig6 } from './csv-format.js';
import { deptNewCode, vatDiv } from './rd5000.renderer.js';
import type { RenderContext } from './render-context.js';

/**
 * The four master files (products, departments, discounts, payment methods)
 * as field arrays. The new build leaves POS/BRANCH empty and appends
 * TERM_ID, CATEG_ID, VERNO and a space-joined FULL column.
 */
export function rd5500Rows(ctx: RenderContext, menu: readonly Product[]): string[][] {
  return menu.map((p) => {
    if (ctx.format === 'new') {
      const net = p.price / 1.12;
      const categ = deptNewCode(p.dept);
      const full = ` ${p.code} ${p.name} ${p.name} 406 ${p.price} ORDER 12 ${sig6(net)} ${sig6(p.price - net)}    ${categ}`;
      return [p.code, p.name, p.name, '406', String(p.price), 'ORDER', '12', pyFloat(net), pyFloat(p.price - net), '', '', '', categ, '0', full];
    }
    const ecr = p.name.length > 14 ? p.name.slice(0, 14) : p.name;
    const tax = p.price * (0.0574 + (p.price % 7) / 1000);
    return [p.code, p.name, ecr, p.dept, fixed3(p.price), 'PC', '12.000', fixed3(tax), vatDiv(p) === '9.330' ? '9.330000' : '9.333333', String(ctx.pos), ctx.branch];
  });
}

export function rd1800Rows(ctx: RenderContext): string[][] {
  if (ctx.format === 'new') {
    const seen = new Set<string>();
    return DEPARTMENTS.filter((d) => !seen.has(d.newCode) && seen.add(d.newCode)).map((d) => {
      const group = d.newGroup === 'MEALS' || d.newGroup === 'SNACKS' ? `${ctx.branch} ${d.newGroup}` : d.newGroup;
      return [d.newCode, d.name, '', '', '', group, '0', ` ${d.newCode} ${d.name}    ${group}`];
    });
  }
  return DEPARTMENTS.map((d) => [d.code, d.name, String(ctx.pos), ctx.branch]);
}

export function discountRows(ctx: RenderContext): string[][] {
  if (ctx.format === 'new') {
    return DISCOUNTS.map((d) => [d.newCode, d.name, d.type, String(d.value), '', '', '', ' ', '0', ` ${d.newCode} ${d.name} ${d.type} ${d.value}     `]);
  }
  return DISCOUNTS.map((d) => [d.code, d.name, d.type, fixed3(d.value), String(ctx.pos), ctx.branch]);
}

export function rd5900Rows(ctx: RenderContext): string[][] {
  if (ctx.format === 'new') {
    return PAYMENT_METHODS.map((m) => [m.newCode, m.name, String(m.method), String(m.maxAmount), '', '', '', ' ', '0', ` ${m.newCode} ${m.name} ${m.method} ${m.maxAmount}     `]);
  }
  return PAYMENT_METHODS.map((m) => [m.code, m.name, String(m.method), fixed3(m.maxAmount), String(ctx.pos), ctx.branch]);
}
