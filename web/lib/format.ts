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
