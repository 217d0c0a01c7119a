import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { aiUsage } from "../../../db/schema";
import type { Config } from "../../config";
import { ValidationError } from "../../lib/errors";
import { tokensUsed } from "./limits";
import type { RateLimiterNamespace } from "../../lib/services";

const DAY = 86_400_000;

/** Metered AI usage per UTC day (every day of the range, zeros included) with totals and the current limits. */
export async function getUsage(input: { db: Database; limiter: RateLimiterNamespace; config: Config; workspaceId: string; from?: string; to?: string; now?: Date }) {
  const { db, limiter, config, workspaceId } = input;
  const to = input.to ?? (input.now ?? new Date()).toISOString().slice(0, 10);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  const from = input.from ?? new Date(toMs - 29 * DAY).toISOString().slice(0, 10);
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  if (Number.isNaN(toMs)) throw new ValidationError("to is not a valid date", [{ path: "to", message: "not a calendar date" }], 400);
  if (Number.isNaN(fromMs)) throw new ValidationError("from is not a valid date", [{ path: "from", message: "not a calendar date" }], 400);
  if (fromMs > toMs) throw new ValidationError("from must not be after to", [{ path: "from", message: "is after to" }], 400);
  if (toMs - fromMs > 366 * DAY) throw new ValidationError("The range can span at most 366 days", [{ path: "from", message: "range too long" }], 400);

  const [rows, used] = await Promise.all([
    db.http
      .select()
      .from(aiUsage)
      .where(and(eq(aiUsage.workspaceId, workspaceId), gte(aiUsage.day, from), lte(aiUsage.day, to)))
      .orderBy(asc(aiUsage.day)),
    tokensUsed(limiter, workspaceId),
  ]);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = [];
  for (let t = fromMs; t <= toMs; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    const r = byDay.get(day);
    days.push({ day, requests: r?.requests ?? 0, inputTokens: Number(r?.inputTokens ?? 0), outputTokens: Number(r?.outputTokens ?? 0), costMicros: Number(r?.costMicros ?? 0) });
  }
  const totals = days.reduce(
    (a, d) => ({ requests: a.requests + d.requests, inputTokens: a.inputTokens + d.inputTokens, outputTokens: a.outputTokens + d.outputTokens, costMicros: a.costMicros + d.costMicros }),
    { requests: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 },
  );
  return {
    from,
    to,
    days,
    totals,
    limits: {
      requestsPerMinutePerUser: config.AI_REQUESTS_PER_MINUTE,
      tokensPerDay: config.AI_TOKENS_PER_DAY,
      tokensUsedLast24h: used,
      tokensRemaining: Math.max(0, config.AI_TOKENS_PER_DAY - used),
    },
  };
}
