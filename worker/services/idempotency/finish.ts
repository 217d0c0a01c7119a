import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { idempotencyKeys } from "../../../db/schema";
import { scopeWhere, type IdempotencyScope } from "./claim";

/** Stores the first request's answer for replays. Only the claimant (same created_at) may complete its row. */
export async function completeIdempotencyKey(input: { db: Executor; scope: IdempotencyScope; createdAt: Date; status: number; body: string; headers: Record<string, string> }): Promise<void> {
  await input.db
    .update(idempotencyKeys)
    .set({ statusCode: input.status, responseBody: input.body, responseHeaders: input.headers })
    .where(and(scopeWhere(input.scope), eq(idempotencyKeys.createdAt, input.createdAt), isNull(idempotencyKeys.statusCode)));
}

/** Gives the key up after an answer that must not be replayed (5xx, rate limits): the retry runs for real. */
export async function releaseIdempotencyKey(input: { db: Executor; scope: IdempotencyScope; createdAt: Date }): Promise<void> {
  await input.db.delete(idempotencyKeys).where(and(scopeWhere(input.scope), eq(idempotencyKeys.createdAt, input.createdAt), isNull(idempotencyKeys.statusCode)));
}
