import { sql, type SQL } from "drizzle-orm";
import { ValidationError } from "../../lib/errors";
import type { ReportFilters } from "../../schemas/reports";

export interface Period {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The period of a report: the caller's `from`/`to` (UTC days, `to` exclusive) or the report's default; a period that
 * ends before it starts, or spans more than ten years, is a 400 naming `to`.
 */
export function periodOf(f: ReportFilters, fallback: () => Period): Period {
  const d = fallback();
  const from = f.from ?? (f.to ? iso(new Date(Date.parse(f.to) - 365 * DAY)) : d.from);
  const to = f.to ?? (f.from && Date.parse(f.from) >= Date.parse(d.to) ? iso(new Date(Date.parse(f.from) + 365 * DAY)) : d.to);
  if (Date.parse(to) <= Date.parse(from)) {
    throw new ValidationError("The period ends before it starts", [{ path: "to", message: `must be after from (${from})` }], 400);
  }
  if (Date.parse(to) - Date.parse(from) > 3660 * DAY) {
    throw new ValidationError("The period is too long", [{ path: "to", message: "the period may span at most ten years" }], 400);
  }
  return { from, to };
}

/** The last `days` days up to and including today (UTC). */
export function lastDays(days: number, now = new Date()): Period {
  const to = iso(new Date(now.getTime() + DAY));
  return { from: iso(new Date(Date.parse(to) - days * DAY)), to };
}

/** The last 365 days up to and including today (UTC). */
export const lastYear = (now = new Date()) => lastDays(365, now);

/**
 * Deal filters shared by every report, for an opportunity aliased `o` joined to its stage `s`. A deal's pipeline is its
 * stage's pipeline (opportunities have no pipeline column).
 */
export function dealWhere(workspaceId: string, f: ReportFilters): SQL {
  const parts: SQL[] = [sql`o.workspace_id = ${workspaceId}`, sql`o.deleted_at is null`];
  if (f.pipelineId) parts.push(sql`s.pipeline_id = ${f.pipelineId}`);
  if (f.ownerId) parts.push(sql`o.owner_id = ${f.ownerId}`);
  if (f.currency) parts.push(sql`o.currency = ${f.currency}`);
  return sql.join(parts, sql` and `);
}

/** Folds `{ currency, amount }` rows into a list sorted by currency (never adding two currencies together). */
export function addMoney(list: { currency: string; amount: number }[], currency: string, amount: number) {
  const hit = list.find((m) => m.currency === currency);
  if (hit) hit.amount += amount;
  else {
    list.push({ currency, amount });
    list.sort((a, b) => a.currency.localeCompare(b.currency));
  }
}

export const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** A UTC day as a timestamptz bound (independent of the session's time zone). */
export const utcDay = (day: string): SQL => sql`(${day}::timestamp at time zone 'UTC')`;
