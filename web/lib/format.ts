/*
 * Display formatting. Money arrives as integer minor units; the number of fraction digits comes from the
 * currency itself (USD 2, JPY 0, KWD 3), so nothing here assumes cents. Locale = the browser's.
 */

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(undefined, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** Minor-unit exponent of an ISO 4217 currency (2 for USD/EUR, 0 for JPY, 3 for KWD). */
export function currencyFractionDigits(currency: string): number {
  try {
    return numberFormat(`digits:${currency}`, { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Converts integer minor units to a major-unit number (12345 USD → 123.45). */
export function fromMinorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyFractionDigits(currency);
}

/** Converts a major-unit number to integer minor units (123.45 USD → 12345). */
export function toMinorUnits(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyFractionDigits(currency));
}

export interface MoneyFormatOptions {
  /** "$1.2M" — for tight spaces such as column headers. */
  compact?: boolean;
  /** Drop the fraction ("$1,234") — for totals where cents are noise. */
  wholeUnits?: boolean;
}

/** Formats integer minor units in their currency, e.g. `formatMoney(123456, "USD")` → "$1,234.56". */
export function formatMoney(minor: number, currency: string, options: MoneyFormatOptions = {}): string {
  const digits = currencyFractionDigits(currency);
  const major = minor / 10 ** digits;
  const mode = options.compact ? "compact" : options.wholeUnits ? "whole" : "full";
  try {
    const format = numberFormat(`money:${currency}:${mode}`, {
      style: "currency",
      currency,
      ...(mode === "compact" && { notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 }),
      ...(mode === "whole" && { maximumFractionDigits: 0, minimumFractionDigits: 0 }),
      ...(mode === "full" && { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    });
    return format.format(major);
  } catch {
    // Unknown currency code: still show the number rather than break the page.
    return `${major.toFixed(mode === "full" ? digits : 0)} ${currency}`;
  }
}

export function formatCount(n: number): string {
  return numberFormat("count", { maximumFractionDigits: 0 }).format(n);
}

export function formatPercent(percent0to100: number): string {
  return numberFormat("percent", { style: "percent", maximumFractionDigits: 0 }).format(percent0to100 / 100);
}

// ---------------------------------------------------------------------------------------------------------
// Reading money typed by a person. Strict: a malformed amount or one with more decimals than its currency has is
// refused with a sentence to show, never guessed or rounded (a wrong amount on a deal is worse than a question).

/** An amount read from a form: `minor` in the currency's minor units (null for an empty field), or why not. */
export type ParsedMoney = { ok: true; minor: number | null } | { ok: false; error: string };

/** Group separators anyone may type: the locale's, spaces (also no-break and thin) and apostrophes (de-CH). */
const SPACE_GROUPS = [" ", "\u00a0", "\u202f", "'", "’"];

function separators(locale?: string): { decimal: string; group: string } {
  try {
    const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
    return { decimal: parts.find((p) => p.type === "decimal")?.value ?? ".", group: parts.find((p) => p.type === "group")?.value ?? "," };
  } catch {
    return { decimal: ".", group: "," };
  }
}

/** Digits before and after the decimal mark, or null when `text` is not a number written with these marks. */
function splitNumber(text: string, decimal: string, groups: string[]): { whole: string; fraction: string } | null {
  const [whole = "", fraction = "", extra] = text.split(decimal);
  if (extra !== undefined || (text.includes(decimal) && !/^\d+$/.test(fraction))) return null;
  if (/^\d+$/.test(whole)) return { whole, fraction };
  // Grouped: 1–3 digits, then groups of exactly three, all with the same separator ("12,500" but not "12,5,00").
  for (const g of groups) {
    const escaped = g.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (new RegExp(`^\\d{1,3}(${escaped}\\d{3})+$`).test(whole)) return { whole: whole.split(g).join(""), fraction };
  }
  return null;
}

/**
 * Reads an amount typed in major units for `currency` ("12,500.99", "12500.99", "$12,500", "12.500,99" in a
 * comma-decimal locale or when unambiguous, "12k"), as integer minor units. Refuses malformed grouping
 * ("12,5,00.999"), negative amounts, another currency's code and more decimals than the currency has (no rounding).
 * `digits` overrides the currency's minor-unit digits; `locale` the browser's.
 */
export function parseMoneyInput(input: string, currency: string, options: { digits?: number; locale?: string } = {}): ParsedMoney {
  const digits = options.digits ?? currencyFractionDigits(currency);
  let text = input.trim();
  if (!text) return { ok: true, minor: null };
  const { decimal, group } = separators(options.locale);
  const example = `Enter an amount such as ${digits > 0 ? `12${group}500${decimal}${"9".repeat(digits)} or 12500${decimal}${"9".repeat(digits)}` : `12${group}500 or 12500`}`;
  // A currency symbol or code around the number is decoration; a different code is a mistake worth naming.
  text = text.replace(/^\p{Sc}\s*|\s*\p{Sc}$/gu, "");
  const code = /^([A-Za-z]{3})\s*(?=[\d.,])|(?<=[\d.,])\s*([A-Za-z]{3})$/.exec(text);
  if (code) {
    const typed = (code[1] ?? code[2]!).toUpperCase();
    if (currency && typed !== currency.toUpperCase()) return { ok: false, error: `That amount is in ${typed}; choose ${typed} as the currency or leave the code out` };
    text = text.replace(code[0], "");
  }
  if (/^[-−]/.test(text)) return { ok: false, error: "Enter an amount of 0 or more" };
  let shift = 0;
  const suffix = /^(.*\d)\s*([kKmM])$/.exec(text);
  if (suffix) {
    text = suffix[1]!;
    shift = /k/i.test(suffix[2]!) ? 3 : 6;
  }
  const groups = [group, ...SPACE_GROUPS.filter((g) => g !== group)];
  // The locale's marks first; the other convention ("12.500,99" typed in an en-US browser) only if that fails.
  const other = decimal === "." ? "," : decimal === "," ? "." : null;
  const number =
    splitNumber(text, decimal, groups) ?? (other ? splitNumber(text, other, [decimal, ...SPACE_GROUPS]) : null);
  if (!number) return { ok: false, error: example };
  // Move the decimal point for "12.5k" on the digits themselves: no floating point anywhere.
  const moved = number.fraction.slice(0, shift).padEnd(shift, "0");
  const whole = number.whole + moved;
  const fraction = number.fraction.slice(shift);
  if (fraction.length > digits) {
    return { ok: false, error: digits === 0 ? `${currency} amounts have no decimals` : `${currency} amounts have at most ${digits} decimal${digits === 1 ? "" : "s"}` };
  }
  const minor = Number(whole + fraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return { ok: false, error: "That amount is too large" };
  return { ok: true, minor };
}

// ---------------------------------------------------------------------------------------------------------
// Dates. Calendar dates (`YYYY-MM-DD`, e.g. close dates) have no time zone: format them in UTC so that
// 2026-03-01 never shows as Feb 28 west of Greenwich.

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDateOnly(value: string): Date | null {
  const m = DATE_ONLY.exec(value);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** `2026-03-14` → "Mar 14, 2026" (or "Mar 14" within the current year when `short`). */
export function formatDateOnly(value: string | null | undefined, options: { short?: boolean } = {}): string {
  if (!value) return "";
  const date = parseDateOnly(value);
  if (!date) return value;
  const sameYear = date.getUTCFullYear() === new Date().getFullYear();
  const omitYear = options.short && sameYear;
  return dateFormat(omitYear ? "date:short" : "date:medium", {
    timeZone: "UTC",
    month: "short",
    day: "numeric",
    ...(!omitYear && { year: "numeric" }),
  }).format(date);
}

/** Today's calendar date in the user's time zone, as `YYYY-MM-DD`. */
export function todayDateOnly(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** True when a `YYYY-MM-DD` date lies before today (string comparison is safe for this format). */
export function isPastDate(value: string | null | undefined, today: string = todayDateOnly()): boolean {
  return !!value && DATE_ONLY.test(value) && value < today;
}

/** ISO timestamp → "Mar 14, 2026, 3:05 PM" in the user's zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat("datetime", { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** "12 d in stage" — compact enough for a card footer. */
export function formatDaysInStage(days: number): string {
  return `${formatCount(Math.max(0, Math.floor(days)))} d in stage`;
}

/** "1 deal" / "3 deals" */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}
