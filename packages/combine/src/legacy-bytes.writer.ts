import { giveBack, takeBuffer } from './buffer.pool.js';
import { ByteKeyedMemo, sameBytes } from './byte-key.js';
import { CsvLineFields } from './csv-line.parser.js';
import { scanPlainLine } from './plain-line.scanner.js';
import { NO_FIELDS } from './reverse-line.buffer.js';
import type { ProductEntry } from './group-lookups.builder.js';
import { excelFieldOfPlain, excelFormula, plainField, quotedField } from './legacy-field.renderer.js';
import {
  C,
  FORWARD_FIELDS,
  buildLegacyLine,
  daypartOf,
  departmentNameOf,
  transactionTypeOf,
  type RowContext,
} from './legacy-row.builder.js';

/**
 * The usual rd5000 line read and written on its bytes: what the CLI and the
 * benchmark spend their time on. A *plain* line (ASCII, no quote, no CR) has
 * columns that are its comma-separated byte ranges and need no escaping, so
 * its legacy line is those ranges copied into the output, with the Excel
 * wrap decided on their first bytes, and the appended columns looked up
 * once per distinct key (an item code, a department code...) and kept as
 * bytes. The answers come from the same functions as the string path
 * (`rowProblem`, `buildLegacyLine`), called on a miss, so the bytes are
 * exactly what the string path writes, UTF-8 encoded; any other line goes
 * through the string path itself.
 */

/**
 * Whether `rowProblem` accepts a plain line (null: the row is kept), decided
 * on its bytes: DATE cut at its first space is the group's date, TIME is empty
 * or two digits up to 24 and not Excel-wrapped, and on a new-format branch
 * its product (if any) has a department code. A line this refuses is handed
 * to `rowProblem` for the reason.
 */
export class PlainLineCheck {
  private readonly date: Buffer;
  private readonly products: Map<string, ProductEntry | undefined> = new Map();

  constructor(private readonly ctx: RowContext) {
    this.date = Buffer.from(ctx.date, 'utf8');
  }

  /** `starts`, `ends` and `n` as `scanPlainLine` left them. */
  accepts(buf: Buffer, starts: Int32Array, ends: Int32Array, n: number): boolean {
    if (n <= C.DATE) return false;
    const ds = starts[C.DATE] as number;
    let de = ends[C.DATE] as number;
    for (let i = ds; i < de; i++) {
      if (buf[i] === SPACE) {
        de = i;
        break;
      }
    }
    const date = this.date;
    if (de - ds !== date.length) return false;
    for (let i = 0; i < date.length; i++) if (buf[ds + i] !== date[i]) return false;
    const ts = starts[C.TIME] as number;
    const te = ends[C.TIME] as number;
    if (te > ts && hourOfPlain(buf, ts, te) < 0) return false;
    if (this.ctx.newFormat) {
      const product = this.productOf(buf.toString('latin1', starts[C.ITE_CODE], ends[C.ITE_CODE]));
      if (product !== undefined && product.departmentCode === null) return false;
    }
    return true;
  }

  private productOf(code: string): ProductEntry | undefined {
    if (this.products.has(code)) return this.products.get(code);
    const product = this.ctx.lookups.products.get(excelFieldOfPlain(code));
    if (this.products.size < MAX_MEMO) this.products.set(code, product);
    return product;
  }
}

/** What a row's item code brings: PRODUCT NAME, and on a new-format branch its department code and name. */
interface ItemAnswer {
  name: string;
  /** `"<department code>"` when the product replaces DEP_CODE, else null (the wrapped rd5000 DEP_CODE stays). */
  depCode: string | null;
  depName: string;
}

/**
 * Writes legacy lines, `\n` after each, into one growing buffer (`take` hands
 * it over and starts again); one writer per group, made once its lookups are
 * complete.
 */
export class LegacyBytesWriter {
  private out = takeBuffer(96 * 1024);
  private at = 0;
  private readonly starts = new Int32Array(FORWARD_FIELDS);
  private readonly ends = new Int32Array(FORWARD_FIELDS);
  private readonly fields = new CsvLineFields();
  private readonly posOut: string;
  private readonly branchOut: string;
  private readonly items: ByteKeyedMemo<ItemAnswer>;
  private readonly depNames: ByteKeyedMemo<string>;
  private readonly discounts: ByteKeyedMemo<string>;
  private readonly types: ByteKeyedMemo<string>;
  /** Output columns 18-25 of the line being written. */
  private readonly appended: string[] = ['', '', '', '', '', ''];
  /** Rows of a transaction are next to each other: the last TRANSNO's payment code, method and phone. */
  private lastTransNo = '';
  private lastPayment: string | null = null;
  private readonly methods = new Map<string, string>();

  constructor(private readonly ctx: RowContext) {
    this.posOut = `${ctx.posText},`;
    this.branchOut = `,${ctx.branchText}\n`;
    const { lookups } = ctx;
    this.items = new ByteKeyedMemo((code) => {
      const product = lookups.products.get(excelFieldOfPlain(code));
      const newDept = ctx.newFormat && product !== undefined ? product.departmentCode : null;
      return {
        name: product === undefined ? '' : quotedField(product.name),
        depCode: newDept === null ? null : quotedField(newDept),
        depName: newDept === null ? '' : quotedOrEmpty(departmentNameOf(ctx, quotedField(newDept))),
      };
    });
    this.depNames = new ByteKeyedMemo((code) => quotedOrEmpty(departmentNameOf(ctx, excelFormula(code))));
    this.discounts = new ByteKeyedMemo((code) =>
      quotedOrEmpty(lookups.discounts.get(excelFieldOfPlain(code)) ?? ''),
    );
    this.types = new ByteKeyedMemo((code) => quotedOrEmpty(transactionTypeOf(excelFieldOfPlain(code))));
  }

  /** Done: the buffer goes back to the pool (nothing taken from it may be used after). */
  release(): void {
    giveBack(this.out);
    this.out = Buffer.alloc(0);
    this.at = 0;
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.at;
  }

  /** The bytes written so far (valid until the next write), and the buffer starts again. */
  take(): Buffer {
    const piece = this.out.subarray(0, this.at);
    this.at = 0;
    return piece;
  }

  /**
   * The legacy line of an rd5000 line `rowProblem` accepted, `buf[start, end)`
   * without its newline. `table[row]` on: its columns as the forward pass
   * found them (`ReverseLineBuffer` fields), else it is scanned again.
   */
  line(buf: Buffer, start: number, end: number, table: Uint16Array = NONE, row = 0): void {
    const from = this.starts;
    const to = this.ends;
    const n = table.length === 0 ? NO_FIELDS : (table[row] as number);
    if (n !== NO_FIELDS) {
      let s = start;
      for (let k = 0; k < n; k++) {
        const e = start + (table[row + 1 + k] as number);
        from[k] = s;
        to[k] = e;
        s = e + 1;
      }
      for (let k = n; k < FORWARD_FIELDS; k++) {
        from[k] = 0;
        to[k] = 0;
      }
    } else if (scanPlainLine(buf, start, end, from, to, FORWARD_FIELDS) < 0) {
      this.text(this.fields.read(decodePlainLess(buf, start, end), FORWARD_FIELDS));
      return;
    }
    const item = this.items.get(buf, from[C.ITE_CODE] as number, to[C.ITE_CODE] as number);
    const depName =
      item.depCode !== null
        ? item.depName
        : this.depNames.get(buf, from[C.DEP_CODE] as number, to[C.DEP_CODE] as number);
    const discount = this.discounts.get(buf, from[C.DISC_CODE] as number, to[C.DISC_CODE] as number);
    const type = this.types.get(buf, from[C.TYPE] as number, to[C.TYPE] as number);
    const payment = this.paymentOf(buf, from[C.TRANSNO] as number, to[C.TRANSNO] as number);
    const ts = from[C.TIME] as number;
    const te = to[C.TIME] as number;
    const daypart = DAYPARTS[te > ts ? hourOfPlain(buf, ts, te) + 1 : 0] as string;
    // Each column grows by at most 7 bytes (a wrap); text takes up to 3 bytes a character.
    this.reserve(
      end -
        start +
        64 +
        18 * 8 +
        3 *
          (this.posOut.length +
            item.name.length +
            (item.depCode?.length ?? 0) +
            depName.length +
            discount.length +
            type.length +
            daypart.length +
            payment.length +
            this.branchOut.length),
    );
    const out = this.out;
    const appended = this.appended;
    appended[0] = item.name;
    appended[1] = depName;
    appended[2] = discount;
    appended[3] = type;
    appended[4] = daypart;
    appended[5] = payment;
    let at = this.putText(this.posOut, this.at);
    // Output columns 1-17, each from its rd5000 column (a loop, not 17 calls: a smaller function to compile).
    for (let c = 0; c < COPIED.length; c++) {
      const k = COPIED[c] as number;
      const s = from[k] as number;
      const e = to[k] as number;
      if (k === C.DEP_CODE && item.depCode !== null) at = this.putText(item.depCode, at);
      else if (k === C.DEP_CODE) at = this.formula(buf, s, e, at);
      else if (k === C.DATE || k === C.TRANSNO) {
        // DATE cut at its first space (a kept row's is the group's date); TRANSNO as it is.
        for (let i = s; i < e; i++) {
          const b = buf[i] as number;
          if (b === SPACE && k === C.DATE) break;
          out[at++] = b;
        }
      } else at = this.excel(buf, s, e, at);
      out[at++] = COMMA;
    }
    for (let c = 0; c < appended.length; c++) {
      if (c > 0) out[at++] = COMMA;
      at = this.putText(appended[c] as string, at);
    }
    this.at = this.putText(this.branchOut, at);
  }

  /** The legacy line of a line that is not plain (the string path), as UTF-8. */
  text(fields: CsvLineFields): void {
    const line = `${buildLegacyLine(fields, this.ctx)}\n`;
    this.reserve(line.length * 3);
    this.at += this.out.write(line, this.at, 'utf8');
  }

  /** PAYMENT CODE, PAYMENT NAME and PHONE NUMBER of a TRANSNO, commas between. */
  private paymentOf(buf: Buffer, start: number, end: number): string {
    const last = this.lastTransNo;
    if (this.lastPayment !== null && sameBytes(last, buf, start, end)) return this.lastPayment;
    const transNo = buf.toString('latin1', start, end);
    const { lookups } = this.ctx;
    const code = lookups.payments.get(transNo) ?? '';
    // PAYMENT CODE and NAME per code (a day has a handful): one string per transaction at most.
    let method = this.methods.get(code);
    if (method === undefined) {
      method = `${plainField(code)},${plainField(lookups.paymentMethods.get(code) ?? '')},`;
      this.methods.set(code, method);
    }
    const phone = lookups.loyalty.get(transNo);
    this.lastTransNo = transNo;
    this.lastPayment = phone === undefined ? method : method + plainField(phone);
    return this.lastPayment;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    const more = takeBuffer(Math.max(this.out.length * 2, this.at + bytes));
    this.out.copy(more, 0, 0, this.at);
    giveBack(this.out);
    this.out = more;
  }

  private put(piece: Uint8Array, at: number): number {
    const out = this.out;
    for (let i = 0; i < piece.length; i++) out[at++] = piece[i] as number;
    return at;
  }

  /** Text as UTF-8 (room for 3 bytes per character reserved). */
  private putText(text: string, at: number): number {
    const out = this.out;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return at - i + out.write(text, at - i, 'utf8');
      out[at++] = c;
    }
    return at;
  }

  /** A column as `excelFieldOfPlain` writes it: `"=""value"""` when `needsExcelWrap`, else as is. */
  private excel(buf: Buffer, start: number, end: number, at: number): number {
    const len = end - start;
    if (
      len >= 2 &&
      buf[start] === ZERO &&
      buf[start + 1] !== DOT &&
      (len < 3 || buf[start + 2] !== COLON) &&
      (len < 5 || buf[start + 4] !== DASH)
    )
      return this.formula(buf, start, end, at);
    const out = this.out;
    for (let i = start; i < end; i++) out[at++] = buf[i] as number;
    return at;
  }

  /** `"=""value"""` (`excelFormula` of a value without quotes). */
  private formula(buf: Buffer, start: number, end: number, at: number): number {
    const out = this.out;
    out[at++] = QUOTE;
    out[at++] = EQUALS;
    out[at++] = QUOTE;
    out[at++] = QUOTE;
    for (let i = start; i < end; i++) out[at++] = buf[i] as number;
    out[at++] = QUOTE;
    out[at++] = QUOTE;
    out[at++] = QUOTE;
    return at;
  }
}

/**
 * The hour of a plain TIME column as `hourOf` reads the written value: -1
 * when it is not one (fewer than two digits first, above 24, or a value that
 * is written Excel-wrapped, whose first character is then a quote).
 */
function hourOfPlain(buf: Buffer, start: number, end: number): number {
  if (end - start < 2) return -1;
  const a = (buf[start] as number) - ZERO;
  const b = (buf[start + 1] as number) - ZERO;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  // Wrapped (see needsExcelWrap): `0` then not `.`, and no `:` third, no `-` fifth.
  if (
    a === 0 &&
    (end - start < 3 || buf[start + 2] !== COLON) &&
    (end - start < 5 || buf[start + 4] !== DASH)
  )
    return -1;
  const hour = a * 10 + b;
  return hour <= 24 ? hour : -1;
}

/** The rd5000 columns of output columns 1-17, in order (spec "One output row per rd5000 data row"). */
const COPIED = Int32Array.from([
  C.INVOICE,
  C.ITE_CODE,
  C.QUANTITY,
  C.UNT_PRIC,
  C.AMOUNT,
  C.DISCOUNT,
  C.DEP_CODE,
  C.DATE,
  C.TIME,
  C.DISC_CODE,
  C.TYPE,
  C.VAT_FLAG,
  C.VATDIV,
  C.VAT_AMNT,
  C.VAT_DISC,
  C.VAT_PRIC,
  C.TRANSNO,
]);

/** DAYPART by hour + 1 (0: no hour), as daypartOf writes it. */
const DAYPARTS: string[] = [daypartOf(null, ''), ...Array.from({ length: 25 }, (_, h) => daypartOf(h, '00'))];

function quotedOrEmpty(value: string): string {
  return value === '' ? '' : quotedField(value);
}

/** A line that is not plain, decoded as readLineBatches would have given it. */
function decodePlainLess(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++)
    if ((buf[i] as number) >= 0x80) return DECODER.decode(buf.subarray(start, end));
  return buf.toString('latin1', start, end);
}

const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });
const NONE = new Uint16Array(0);
const MAX_MEMO = 10_000;
const COMMA = 0x2c;
const QUOTE = 0x22;
const SPACE = 0x20;
const ZERO = 0x30;
const DOT = 0x2e;
const COLON = 0x3a;
const DASH = 0x2d;
const EQUALS = 0x3d;
