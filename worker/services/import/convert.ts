import type { ImportOptions } from "../../schemas/import-export";

/** A cell that could not be read: the message is shown to the user next to its row and column. */
export type Converted<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const fail = (message: string): Converted<never> => ({ ok: false, message });

const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+$/;
const PLAIN_INT = /^[+-]?\d+$/;

/** "1,200" or "1200" → 1200. Spreadsheets add thousands separators to whole numbers. */
export function parseInteger(raw: string): Converted<number> {
  const s = raw.replace(/[\s\u00a0]/g, "");
  if (!PLAIN_INT.test(s) && !THOUSANDS.test(s)) return fail(`"${raw}" is not a whole number`);
  const n = Number(s.replace(/,/g, ""));
  if (!Number.isSafeInteger(n)) return fail(`"${raw}" is too large`);
  return ok(n);
}

const digitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency: USD 2, JPY 0, KWD 3 (from the runtime's ICU data). */
export function currencyDigits(currency: string): number | undefined {
  const code = currency.toUpperCase();
  let d = digitsCache.get(code);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      return undefined;
    }
    digitsCache.set(code, d);
  }
  return d;
}

/**
 * An amount cell → integer minor units. `minor`: "123450" (what the API and the export use). `major`: "1,234.50",
 * "$1,234.50" or "1234.5 USD" → 123450 for USD, with exact decimal arithmetic (no float rounding) and an error
 * rather than silent rounding when a value has more decimals than the currency has.
 */
export function parseAmount(raw: string, unit: ImportOptions["amountUnit"], currency: string): Converted<number> {
  const s = raw
    .replace(/[\s\u00a0]/g, "")
    .replace(/^[A-Za-z]{3}(?=[-+\d.])/, "")
    .replace(/(?<=[\d.])[A-Za-z]{3}$/, "")
    .replace(/^([+-]?)[$€£¥₹]/, "$1");
  const m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === undefined && !m[3])) return fail(`"${raw}" is not an amount`);
  const sign = m[1] === "-" ? -1 : 1;
  const whole = (m[2] ?? "0").replace(/,/g, "");
  const frac = m[3] ?? "";
  if (unit === "minor") {
    if (m[3] !== undefined) {
      return fail(`"${raw}" is not a whole number of minor units (cents); for amounts like 1,234.50 import with amountUnit "major"`);
    }
    const n = Number(whole);
    return Number.isSafeInteger(n) ? ok(sign * n) : fail(`"${raw}" is too large`);
  }
  const digits = currencyDigits(currency);
  if (digits === undefined) return fail(`"${currency}" is not a currency code, so the amount cannot be converted`);
  const trimmed = frac.replace(/0+$/, "");
  if (trimmed.length > digits) return fail(`"${raw}" has more decimals than ${currency.toUpperCase()} allows (${digits})`);
  const n = Number(whole + trimmed.padEnd(digits, "0"));
  return Number.isSafeInteger(n) ? ok(sign * n) : fail(`"${raw}" is too large`);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A date cell in the file's format → "YYYY-MM-DD", refusing impossible dates such as 2/30/2026. */
export function parseDate(raw: string, format: ImportOptions["dateFormat"]): Converted<string> {
  const s = raw.trim();
  let y: number, mo: number, d: number;
  if (format === "YYYY-MM-DD") {
    // A full ISO timestamp keeps its date part (exports from other tools often carry midnight times).
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
    if (!m) return fail(`"${raw}" is not a date in YYYY-MM-DD format`);
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return fail(`"${raw}" is not a date in ${format} format`);
    const [a, b] = [Number(m[1]), Number(m[2])];
    [y, mo, d] = format === "M/D/YYYY" ? [Number(m[3]), a, b] : [Number(m[3]), b, a];
  }
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
    return fail(`"${raw}" is not a valid date (${format})`);
  }
  return ok(`${String(y).padStart(4, "0")}-${pad(mo)}-${pad(d)}`);
}

/** valueMap lookup: the exact cell first, then ignoring case and surrounding spaces. */
export function mapValue(map: Record<string, string> | undefined, raw: string): string {
  if (!map) return raw;
  if (Object.hasOwn(map, raw)) return map[raw]!;
  const key = raw.trim().toLowerCase();
  for (const [k, v] of Object.entries(map)) if (k.trim().toLowerCase() === key) return v;
  return raw;
}
