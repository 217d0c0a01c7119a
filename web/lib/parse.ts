/*
 * Parsing what people type into forms (amounts, relative dates). Pure functions, no DOM or network:
 * tests/node/import-mapping.test.ts covers them.
 */

/** A `YYYY-MM-DD` date `days` from today in the user's time zone. */
export function dateInDays(days: number, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** End of that day (17:00 local) as an ISO timestamp, for task due times picked as a date. */
export function dueAtFromDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y!, m! - 1, d!, 17, 0, 0).toISOString();
}

/**
 * Parses an amount typed in major units ("1,234.50", "1 234,50", "12k") into minor units for `currency`.
 * Returns null for an empty field and NaN for text that is not a number.
 */
export function parseMajorAmount(input: string, fractionDigits: number): number | null {
  if (!input.trim()) return null;
  // Currency symbols and codes around the number ("$1,200", "1 200 EUR") are decoration; any other letter is not.
  let text = input
    .trim()
    .replace(/^\p{Sc}|\p{Sc}$/gu, "")
    .replace(/^[A-Za-z]{3}(?=[\s\d])|(?<=[\d\s])[A-Za-z]{3}$/g, "")
    .replace(/[\s'’_]/g, "");
  if (!text) return Number.NaN;
  let factor = 1;
  const suffix = /([kKmM])$/.exec(text);
  if (suffix) {
    factor = /k/i.test(suffix[1]!) ? 1_000 : 1_000_000;
    text = text.slice(0, -1);
  }
  // The last separator followed by 1–2 digits (or up to the currency's digits) is the decimal mark.
  const lastSep = Math.max(text.lastIndexOf("."), text.lastIndexOf(","));
  let normalised = text;
  if (lastSep >= 0) {
    const decimals = text.length - lastSep - 1;
    const isDecimal = decimals > 0 && decimals <= Math.max(2, fractionDigits) && !(decimals === 3 && fractionDigits < 3);
    const intPart = text.slice(0, lastSep).replace(/[.,]/g, "");
    normalised = isDecimal ? `${intPart}.${text.slice(lastSep + 1)}` : text.replace(/[.,]/g, "");
  }
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * factor * 10 ** fractionDigits);
}
