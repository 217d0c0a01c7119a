import { sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { IDEMPOTENCY_TTL_MS } from "./claim";

/**
 * The scheduled cleanup: deletes keys older than 24 hours (they are ignored already; this keeps the table small).
 * Batched so one run never holds a long lock; returns how many rows went.
 */
export async function purgeIdempotencyKeys(input: { db: Executor; now?: Date; batch?: number }): Promise<number> {
  const cutoff = new Date((input.now ?? new Date()).getTime() - IDEMPOTENCY_TTL_MS);
  const batch = input.batch ?? 5000;
  let total = 0;
  for (;;) {
    const res = await input.db.execute(sql`
      delete from idempotency_keys where ctid in (
        select ctid from idempotency_keys where created_at < ${cutoff.toISOString()}::timestamptz limit ${batch})`);
    const n = (res as { rowCount?: number | null }).rowCount ?? 0;
    total += n;
    if (n < batch) return total;
  }
}

