import { DurableObject } from "cloudflare:workers";

export interface LimitResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until a slot frees up; 0 when allowed. */
  retryAfter: number;
}

/**
 * A sliding-window counter per key (one object per workspace, or per workspace + user). Requests inside one
 * object run one at a time, so the count holds under concurrent callers without locks.
 */
export class RateLimiter extends DurableObject<Env> {
  /**
   * Records one hit of `cost` against `limit` per `windowSeconds` if it fits. Hits are kept in SQLite storage so
   * the window survives eviction.
   */
  async hit(limit: number, windowSeconds: number, cost = 1, now = Date.now()): Promise<LimitResult> {
    const sql = this.ctx.storage.sql;
    sql.exec("create table if not exists hits (at integer not null, cost integer not null)");
    const since = now - windowSeconds * 1000;
    sql.exec("delete from hits where at <= ?", since);
    const used = Number(sql.exec("select coalesce(sum(cost), 0) as used from hits").one().used);
    if (used + cost > limit) {
      const oldest = Number(sql.exec("select min(at) as at from hits").one().at ?? now);
      return { allowed: false, remaining: Math.max(0, limit - used), retryAfter: Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - now) / 1000)) };
    }
    sql.exec("insert into hits (at, cost) values (?, ?)", now, cost);
    return { allowed: true, remaining: limit - used - cost, retryAfter: 0 };
  }
}
