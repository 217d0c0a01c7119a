/** Deterministic wording helpers shared by the deal signals and the offline engine (no locale or clock reads). */

export const DAY_MS = 86_400_000;

/** Whole days from `from` to `now` (negative when `from` is in the future). */
export function daysBetween(from: string, now: string): number {
  return Math.floor((Date.parse(now) - Date.parse(from)) / DAY_MS);
}

/** Calendar-day difference between a YYYY-MM-DD date and the UTC day of `now` (positive = in the past). */
export function daysPastDate(date: string, now: string): number {
  return Math.round((Date.parse(now.slice(0, 10)) - Date.parse(date.slice(0, 10))) / DAY_MS);
}

export const day = (isoOrDate: string) => isoOrDate.slice(0, 10);

export function ago(days: number): string {
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${days} days ago`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const fractionDigits = new Map<string, number>();

/** Minor units → "$12,500.00" / "€9,000.00"; unknown currency codes fall back to "12500.00 XYZ". */
export function money(minor: number | null | undefined, currency: string | null | undefined): string | null {
  if (minor == null) return null;
  const cur = (currency ?? "USD").toUpperCase();
  try {
    let digits = fractionDigits.get(cur);
    if (digits === undefined) {
      digits = new Intl.NumberFormat("en-US", { style: "currency", currency: cur }).resolvedOptions().maximumFractionDigits ?? 2;
      fractionDigits.set(cur, digits);
    }
    return new Intl.NumberFormat("en-US", { style: "currency", currency: cur }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 100).toFixed(2)} ${cur}`;
  }
}

/** The first sentence of a text, at most `max` characters, for quoting an activity. */
export function firstSentence(text: string | null | undefined, max = 160): string | null {
  if (!text) return null;
  const t = text.replace(/\s+/g, " ").trim();
  if (!t) return null;
  const m = /^(.+?[.!?])(\s|$)/.exec(t);
  const s = m ? m[1]! : t;
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

const TYPE_WORDS: Record<string, string> = {
  call: "Call",
  email: "E-mail",
  meeting: "Meeting",
  note: "Note",
  task: "Task",
  stage_change: "Stage change",
  lead_converted: "Lead conversion",
  attachment_added: "Attachment",
};
export const typeWord = (type: string) => TYPE_WORDS[type] ?? type.replace(/_/g, " ");

export const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** Ends a sentence with a period unless it already ends with punctuation (quoted text often does). */
export function sentence(text: string): string {
  const t = text.trimEnd();
  return /[.!?…]["')\]]?$/.test(t) ? t : `${t}.`;
}

/** "A, B and C" */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
