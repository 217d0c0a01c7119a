import { AsyncLocalStorage } from "node:async_hooks";
import type { SQL } from "drizzle-orm";

/**
 * A statement that must succeed before any of this request's database results may be trusted — the session check of
 * a read (worker/middleware/auth.ts) — folded into the request's FIRST round trip instead of costing one of its own.
 *
 * The statement raises (cast of SESSION_CHECK_FAILED to int) when the check fails, so the batch or transaction it
 * rides in fails as a whole: no row of that round trip reaches the handler. db/client.ts prepends it to the first
 * HTTP statement or batch, or runs it first in a transaction; the auth middleware runs it on its own after the
 * handler when nothing consumed it, and answers 401 whenever it failed (even if a handler swallowed the error).
 *
 * States: pending → inflight → passed | failed; an inflight check whose round trip failed for another reason (a bad
 * statement elsewhere in the batch, a network error) goes back to pending, since its outcome is unknown.
 */
export interface DeferredCheck {
  statement: SQL;
  state: "pending" | "inflight" | "passed" | "failed";
}

export interface RequestScope {
  check?: DeferredCheck;
}

/** The text a failed check casts to int: the database error that carries it is the failure signal. */
export const SESSION_CHECK_FAILED = "bespoke-session-ended";

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** The current request's check, if one is waiting to ride along; marks it inflight. */
export function takePendingCheck(): DeferredCheck | undefined {
  const check = requestScope.getStore()?.check;
  if (!check || check.state !== "pending") return undefined;
  check.state = "inflight";
  return check;
}

/** Settles an inflight check from the outcome of the round trip it rode in. */
export function settleCheck(check: DeferredCheck, outcome: { ok: boolean; errorText?: string }): void {
  if (outcome.ok) check.state = "passed";
  else if (outcome.errorText?.includes(SESSION_CHECK_FAILED)) check.state = "failed";
  else check.state = "pending";
}

/** Whether an error is the deferred session check failing. */
export function isSessionCheckFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause) {
    if (String((e as { message?: unknown }).message ?? "").includes(SESSION_CHECK_FAILED)) return true;
  }
  return false;
}
