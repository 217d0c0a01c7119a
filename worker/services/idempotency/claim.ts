import { and, eq } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { idempotencyKeys } from "../../../db/schema";

/** Stored results are replayed for 24 hours; older rows are ignored (and deleted by purgeIdempotencyKeys). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A first request still "in flight" after this long died without an answer (isolate evicted): a retry may take over. */
export const IDEMPOTENCY_ABANDONED_MS = 10 * 60 * 1000;

export interface IdempotencyScope {
  workspaceId: string;
  principal: string;
  key: string;
}

export type Claim =
  | { kind: "claimed"; createdAt: Date }
  | { kind: "replay"; status: number; body: string; headers: Record<string, string> }
  | { kind: "in_flight" }
  | { kind: "mismatch"; what: "method" | "path" | "body" };

export const scopeWhere = (s: IdempotencyScope) =>
  and(eq(idempotencyKeys.workspaceId, s.workspaceId), eq(idempotencyKeys.principal, s.principal), eq(idempotencyKeys.key, s.key));

/**
 * Takes the key for this request, or says what to answer instead. The first request inserts the row (ON CONFLICT DO
 * NOTHING makes concurrent first attempts race safely: exactly one wins); a later one finds it and replays, waits
 * (409) or is refused (422). An expired or abandoned row is taken over atomically by a conditional UPDATE.
 */
export async function claimIdempotencyKey(input: { db: Executor; scope: IdempotencyScope; method: string; path: string; requestHash: string; now?: Date }): Promise<Claim> {
  const { db, scope, method, path, requestHash } = input;
  const now = input.now ?? new Date();
  const [inserted] = await db
    .insert(idempotencyKeys)
    .values({ ...scope, method, path, requestHash, createdAt: now })
    .onConflictDoNothing()
    .returning({ createdAt: idempotencyKeys.createdAt });
  if (inserted) return { kind: "claimed", createdAt: inserted.createdAt };

  const [row] = await db.select().from(idempotencyKeys).where(scopeWhere(scope)).limit(1);
  if (!row) return claimIdempotencyKey(input); // deleted between the two statements (cleanup): try again
  const expired = now.getTime() - row.createdAt.getTime() >= IDEMPOTENCY_TTL_MS;
  const abandoned = row.statusCode === null && now.getTime() - row.createdAt.getTime() >= IDEMPOTENCY_ABANDONED_MS;
  if (expired || abandoned) {
    const [taken] = await db
      .update(idempotencyKeys)
      .set({ method, path, requestHash, statusCode: null, responseBody: null, responseHeaders: null, createdAt: now })
      .where(and(scopeWhere(scope), eq(idempotencyKeys.createdAt, row.createdAt)))
      .returning({ createdAt: idempotencyKeys.createdAt });
    // Someone else took it over first: judge the request against what they stored.
    return taken ? { kind: "claimed", createdAt: taken.createdAt } : claimIdempotencyKey(input);
  }
  if (row.method !== method) return { kind: "mismatch", what: "method" };
  if (row.path !== path) return { kind: "mismatch", what: "path" };
  if (row.requestHash !== requestHash) return { kind: "mismatch", what: "body" };
  if (row.statusCode === null) return { kind: "in_flight" };
  return { kind: "replay", status: row.statusCode, body: row.responseBody ?? "", headers: row.responseHeaders ?? {} };
}
