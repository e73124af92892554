/**
 * Minimal RFC 4180 split of one line (no embedded newlines: the POS never
 * writes them). Used to compute expected output counts and by the tests; the
 * real parser lives in @posflow/combine.
 */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** Lines of a file as the legacy script iterated them: universal newlines, no final empty line. */
export function fileLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Non-empty lines after the header: what "data rows" means when choosing between re-sent copies. */
export function dataRowCount(text: string): number {
  return fileLines(text).slice(1).filter((l) => l !== '').length;
}
