/*
 * CSV reading in the browser, for the import wizard's preview and column mapping: RFC 4180 quoting, CRLF/LF/CR,
 * a UTF-8 BOM, and the delimiter spreadsheets use in the user's locale (comma, semicolon or tab). The server
 * parses the file again; this only has to agree with it on what the columns and values are.
 */

export interface ParsedCsv {
  delimiter: "," | ";" | "\t";
  header: string[];
  /** Data rows (blank lines dropped), each padded/truncated to the header's length. */
  rows: string[][];
  /** True when a quoted field was still open at the end (the file is damaged). */
  unterminated: boolean;
}

/** Picks the delimiter that splits the first line into the most fields (outside quotes). */
export function detectDelimiter(text: string): ParsedCsv["delimiter"] {
  const firstLine: string[] = [];
  let inQuotes = false;
  for (const ch of text.slice(0, 20_000)) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) break;
    firstLine.push(ch);
  }
  const count = (d: string) => firstLine.filter((c) => c === d).length;
  const candidates = [",", ";", "\t"] as const;
  return candidates.reduce((best, d) => (count(d) > count(best) ? d : best), ",");
}

/** Parses the whole text into records of fields. */
export function parseCsv(input: string, delimiter: string = detectDelimiter(input)): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endField = () => {
    record.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i += 1;
    } else if (ch === delimiter) {
      endField();
      i += 1;
    } else if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      i += 1;
    }
  }
  const unterminated = quoted;
  if (field !== "" || record.length > 0) endRecord();

  const nonBlank = records.filter((r) => r.some((f) => f.trim() !== ""));
  const header = (nonBlank[0] ?? []).map((h) => h.trim());
  const rows = nonBlank.slice(1).map((r) => header.map((_, c) => r[c] ?? ""));
  return { delimiter: delimiter as ParsedCsv["delimiter"], header, rows, unterminated };
}

/** One field, quoted when it has to be (RFC 4180). */
function quote(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Header + rows back to comma-separated CSV (what the server reads), e.g. after reading a semicolon file. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
}
