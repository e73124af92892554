/**
 * One CSV record per physical line (the legacy script read line by line, so a
 * record never spans lines here either). Quoting follows RFC 4180 where the
 * exports use it (`"EXT""E BURGER"`, `"=""00019702"""`) and is lenient where
 * they break it, the way Python's csv reader is: a quote inside an unquoted
 * field is a literal character, text after a closing quote is appended.
 */
export interface ParsedLine {
  fields: string[];
  /** A quoted field ran to the end of the line without its closing quote. */
  unterminated: boolean;
}

export function parseCsvLine(line: string): ParsedLine {
  // Nearly every line has no quote at all: split is several times faster than the scanner.
  if (!line.includes('"')) return { fields: line.split(','), unterminated: false };
  return scanQuoted(line);
}

function scanQuoted(line: string): ParsedLine {
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) {
      const comma = line.indexOf(',', i);
      if (comma === -1) {
        fields.push(line.slice(i));
        return { fields, unterminated: false };
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
      continue;
    }
    // Quoted field: `""` is one quote; the field closes at a lone quote.
    let value = '';
    let start = i + 1;
    let closed = false;
    for (;;) {
      const q = line.indexOf('"', start);
      if (q === -1) {
        value += line.slice(start);
        i = n;
        break;
      }
      value += line.slice(start, q);
      if (line.charCodeAt(q + 1) === QUOTE) {
        value += '"';
        start = q + 2;
        continue;
      }
      i = q + 1;
      closed = true;
      break;
    }
    if (!closed) {
      fields.push(value);
      return { fields, unterminated: true };
    }
    // Lenient: `"abc"def,` reads as `abcdef` (Python csv does the same).
    const comma = line.indexOf(',', i);
    if (comma === -1) {
      fields.push(value + line.slice(i));
      return { fields, unterminated: false };
    }
    fields.push(value + line.slice(i, comma));
    i = comma + 1;
  }
}

const QUOTE = 0x22;
