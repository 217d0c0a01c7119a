/**
 * RFC 4180 CSV, both ways, with no dependency: quoted fields, doubled quotes, commas and line breaks inside quotes,
 * CRLF / LF / lone CR line ends, an optional UTF-8 byte-order mark.
 *
 * The parser is incremental: `push()` any slice of the text (chunk boundaries may fall anywhere, even between the
 * CR and LF of a line end or between two quotes) and it returns the records completed so far, so a caller can
 * work in batches without holding the whole file as rows. It is lenient where spreadsheets are (a stray quote inside
 * an unquoted field, or text right after a closing quote, is kept as text) and strict where leniency would lose
 * data: a quoted field still open at the end of the input is an error, because it would swallow the rest of the file.
 */

export class CsvError extends Error {
  constructor(
    message: string,
    /** 1-based record number (a spreadsheet's row number) where the problem starts. */
    readonly record: number,
    /** 1-based physical line of the input. */
    readonly line: number,
  ) {
    super(message);
  }
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

const State = {
  /** At the start of a field. */
  FieldStart: 0,
  /** Inside an unquoted field. */
  Unquoted: 1,
  /** Inside a quoted field. */
  Quoted: 2,
  /** Just saw a quote inside a quoted field: either the first of a doubled quote or the closing one. */
  QuoteInQuoted: 3,
} as const;
type State = (typeof State)[keyof typeof State];

export class CsvParser {
  private state: State = State.FieldStart;
  private field = "";
  private record: string[] = [];
  private started = false;
  /** The previous chunk ended with CR: an LF at the start of the next one belongs to the same line end. */
  private skipLf = false;
  private line = 1;
  private records = 0;
  private quoteLine = 1;
  private ended = false;

  /** Feeds more text; returns the records it completed. */
  push(chunk: string): string[][] {
    if (this.ended) throw new Error("CsvParser: push() after end()");
    const out: string[][] = [];
    let i = 0;
    const n = chunk.length;
    if (!this.started && n > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < n) {
      if (this.skipLf) {
        this.skipLf = false;
        if (chunk.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      switch (this.state) {
        case State.FieldStart:
        case State.Unquoted: {
          if (this.state === State.FieldStart && chunk.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            i++;
            break;
          }
          let j = i;
          while (j < n) {
            const c = chunk.charCodeAt(j);
            if (c === COMMA || c === CR || c === LF) break;
            j++;
          }
          if (j > i) this.field += chunk.slice(i, j);
          this.state = State.Unquoted;
          if (j < n) this.delimiter(chunk.charCodeAt(j), out);
          i = j + 1;
          break;
        }
        case State.Quoted: {
          const q = chunk.indexOf('"', i);
          const end = q === -1 ? n : q;
          const part = chunk.slice(i, end);
          this.field += part;
          this.countLines(part);
          if (q === -1) i = n;
          else {
            this.state = State.QuoteInQuoted;
            i = q + 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          const c = chunk.charCodeAt(i);
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
          } else if (c === COMMA || c === CR || c === LF) {
            this.delimiter(c, out);
          } else {
            // `"abc"def`: not RFC 4180, but what a spreadsheet makes of it is "abcdef".
            this.field += chunk[i];
            this.state = State.Unquoted;
          }
          i++;
          break;
        }
      }
    }
    return out;
  }

  /** Flushes the last record (a file need not end with a line break). Throws CsvError on an unclosed quote. */
  end(): string[][] {
    if (this.ended) return [];
    this.ended = true;
    if (this.state === State.Quoted) {
      throw new CsvError(
        `A quoted field opened on line ${this.quoteLine} is never closed: check for a missing closing quote (")`,
        this.records + 1,
        this.quoteLine,
      );
    }
    if (this.state === State.FieldStart && this.record.length === 0) return [];
    const out: string[][] = [];
    this.endRecord(out);
    return out;
  }

  private delimiter(c: number, out: string[][]) {
    if (c === COMMA) {
      this.record.push(this.field);
      this.field = "";
      this.state = State.FieldStart;
      return;
    }
    this.endRecord(out);
    this.line++;
    if (c === CR) this.skipLf = true;
  }

  private endRecord(out: string[][]) {
    this.record.push(this.field);
    out.push(this.record);
    this.records++;
    this.record = [];
    this.field = "";
    this.state = State.FieldStart;
  }

  private countLines(s: string) {
    for (let k = s.indexOf("\n"); k !== -1; k = s.indexOf("\n", k + 1)) this.line++;
  }
}

/** Parses a whole CSV text into records (see CsvParser). */
export function parseCsv(text: string): string[][] {
  const p = new CsvParser();
  const rows = p.push(text);
  for (const r of p.end()) rows.push(r);
  return rows;
}

/** A record with no content (a blank line, or only empty cells): spreadsheets leave these at the end of files. */
export function isBlankRecord(record: string[]): boolean {
  for (const f of record) if (f.trim() !== "") return false;
  return true;
}

/**
 * Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR: "CSV injection") are written with a
 * leading apostrophe, which spreadsheets show as text. A value that itself starts with an apostrophe followed by
 * one of those gets a second one, so `unescapeFormula` restores every value exactly: export → import is lossless.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

/** One field, quoted only when it has to be (comma, quote, line break, or edge spaces a reader might trim). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "string" ? escapeFormula(value) : String(value);
  if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** One record with its CRLF line end (RFC 4180). */
export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(",") + "\r\n";
}
