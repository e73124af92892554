/**
 * A file that changed on the server between two downloads: the POS re-sent
 * it while we were fetching. `append` repeats the last row (a late receipt
 * line); `alter` changes the quantity of the last row.
 */
export function mutateCsv(content: Buffer, mode: 'append' | 'alter'): Buffer {
  const text = content.toString('utf8');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
  const lastIndex = lines.length - 1;
  const last = lines[lastIndex];
  if (last === undefined || lastIndex === 0) return Buffer.from(`${text}${text.endsWith(eol) || text === '' ? '' : eol}`, 'utf8');
  if (mode === 'append') lines.push(last);
  else {
    const fields = last.split(',');
    if (fields.length > 5) fields[5] = fields[5] === '9.000' ? '8.000' : '9.000';
    else fields.push('X');
    lines[lastIndex] = fields.join(',');
  }
  return Buffer.from(lines.join(eol) + (trailing !== undefined ? eol : ''), 'utf8');
}
