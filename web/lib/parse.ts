/*
 * Parsing what people type into forms (amounts, relative dates). Pure functions, no DOM or network:
 * tests/node/import-mapping.test.ts covers them.
 */
import { parseMoneyInput } from "./format";

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
 * Parses an amount typed in major units ("1,234.50", "1 234,50", "12k") into minor units, strictly
 * (`parseMoneyInput` in format.ts: malformed grouping or too many decimals are refused, never rounded).
 * Returns null for an empty field and NaN for text that is not such an amount; use `parseMoneyInput` to show why.
 */
export function parseMajorAmount(input: string, fractionDigits: number): number | null {
  const parsed = parseMoneyInput(input, "", { digits: fractionDigits });
  return parsed.ok ? parsed.minor : Number.NaN;
}
