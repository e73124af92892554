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

/**
 * The line's fields; with `maxFields`, only the first ones (the lookups need
 * a few columns of long lines: parsing the rest is most of the cost).
 * `unterminated` then only speaks for the fields read.
 */
export function parseCsvLine(line: string, maxFields = Number.POSITIVE_INFINITY): ParsedLine {
  // Nearly every line has no quote at all: the native split is several times faster than the scanner.
  if (!line.includes('"')) {
    return {
      fields: maxFields === Number.POSITIVE_INFINITY ? line.split(',') : line.split(',', maxFields),
      unterminated: false,
    };
  }
  return scanQuoted(line, maxFields);
}

function scanQuoted(line: string, maxFields: number): ParsedLine {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < maxFields) {
    let value: string;
    if (line.charCodeAt(i) === QUOTE) {
      // Quoted field: `""` is one quote; the field closes at a lone quote.
      let q = i;
      let escaped = false;
      for (;;) {
        q = line.indexOf('"', q + 1);
        if (q === -1) {
          const rest = line.slice(i + 1);
          fields.push(escaped ? rest.replaceAll('""', '"') : rest);
          return { fields, unterminated: true };
        }
        if (line.charCodeAt(q + 1) !== QUOTE) break;
        escaped = true;
        q++;
      }
      value = line.slice(i + 1, q);
      if (escaped) value = value.replaceAll('""', '"');
      i = q + 1;
      if (i < line.length && line.charCodeAt(i) !== COMMA) {
        // Lenient: `"abc"def,` reads as `abcdef` (Python csv does the same).
        const comma = line.indexOf(',', i);
        const end = comma === -1 ? line.length : comma;
        value += line.slice(i, end);
        i = end;
      }
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      value = line.slice(i, end);
      i = end;
    }
    fields.push(value);
    if (i >= line.length) break;
    i++; // the comma
  }
  return { fields, unterminated: false };
}

/**
 * Just field `index` of the line (same rules as `parseCsvLine`), or undefined
 * when the line has fewer fields: the other fields are skipped, not built.
 * For filtering a long file on one column before parsing the lines that matter.
 */
export function csvFieldAt(line: string, index: number): string | undefined {
  let i = 0;
  for (let n = 0; ; n++) {
    const quoted = line.charCodeAt(i) === QUOTE;
    let close = -1;
    let end: number;
    if (quoted) {
      close = closingQuote(line, i);
      if (close === -1) return n === index ? parseCsvLine(line.slice(i)).fields[0] : undefined;
      const comma = line.indexOf(',', close + 1);
      end = comma === -1 ? line.length : comma;
    } else {
      const comma = line.indexOf(',', i);
      end = comma === -1 ? line.length : comma;
    }
    if (n === index) {
      if (!quoted) return line.slice(i, end);
      const inner = line.slice(i + 1, close);
      return (inner.includes('"') ? inner.replaceAll('""', '"') : inner) + line.slice(close + 1, end);
    }
    if (end >= line.length) return undefined;
    i = end + 1;
  }
}

/** The index of the quote closing the quoted field that opens at `open`, -1 when it never closes. */
function closingQuote(line: string, open: number): number {
  let q = open;
  for (;;) {
    q = line.indexOf('"', q + 1);
    if (q === -1 || line.charCodeAt(q + 1) !== QUOTE) return q;
    q++;
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;

/** A line's columns as the row builders read them: `get` gives '' past the last one. */
export interface RowFields {
  readonly length: number;
  get(index: number): string;
  /** True when no column can hold a quote, comma or line break (nothing to escape when written). */
  readonly plain?: boolean;
}

/**
 * One line's first columns (same rules and results as `parseCsvLine`), cut
 * only where they are read: a line without quotes (nearly all) is scanned for
 * its commas and a column becomes a string when asked for, where `split`
 * would build all of them. One instance is reused line after line, so a
 * column read must be used before the next `read`.
 */
export class CsvLineFields implements RowFields {
  private line = '';
  private ends = new Int32Array(64);
  private parsed: readonly string[] | null = null;
  /** Columns read: all of the line's, at most `maxFields`. */
  length = 0;
  /** A quoted field ran to the end of the line without its closing quote. */
  unterminated = false;
  /** The line has no quote and no CR: its columns hold no character a CSV writer must escape. */
  plain = false;

  /** `wholeIfQuoted`: a line with a quote is read to its end whatever `maxFields` (to catch an unclosed one). */
  read(line: string, maxFields = Number.POSITIVE_INFINITY, wholeIfQuoted = false): this {
    this.line = line;
    if (line.includes('"')) {
      const parsed = parseCsvLine(line, wholeIfQuoted ? Number.POSITIVE_INFINITY : maxFields);
      this.parsed = parsed.fields;
      this.length = parsed.fields.length;
      this.unterminated = parsed.unterminated;
      this.plain = false;
      return this;
    }
    this.parsed = null;
    this.unterminated = false;
    this.plain = !line.includes('\r');
    let n = 0;
    for (let from = 0; n < maxFields; ) {
      const comma = line.indexOf(',', from);
      if (n === this.ends.length) {
        const more = new Int32Array(n * 2);
        more.set(this.ends);
        this.ends = more;
      }
      this.ends[n++] = comma === -1 ? line.length : comma;
      if (comma === -1) break;
      from = comma + 1;
    }
    this.length = n;
    return this;
  }

  get(index: number): string {
    if (index >= this.length || index < 0) return '';
    if (this.parsed !== null) return this.parsed[index] ?? '';
    return this.line.slice(index === 0 ? 0 : (this.ends[index - 1] as number) + 1, this.ends[index]);
  }
}
