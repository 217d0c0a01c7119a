import { DurableObject } from "cloudflare:workers";

export interface LimitResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until enough of the window has expired for the refused amount to fit; 0 when allowed. */
  retryAfter: number;
  /**
   * Seconds until the oldest hit still counted leaves the window, i.e. until `remaining` next grows (the
   * `RateLimit-Reset` header); the whole window when nothing is counted. Set by `hit` only.
   */
  reset?: number;
}

/**
 * A sliding-window counter per key (one object per workspace, or per workspace + user). Requests inside one
 * object run one at a time and every method below is synchronous SQL with no await in between, so the count holds
 * under concurrent callers without locks.
 */
export class RateLimiter extends DurableObject<Env> {
  private window(windowSeconds: number, now: number): number {
    const sql = this.ctx.storage.sql;
    sql.exec("create table if not exists hits (at integer not null, cost integer not null)");
    sql.exec("delete from hits where at <= ?", now - windowSeconds * 1000);
    return Number(sql.exec("select coalesce(sum(cost), 0) as used from hits").one().used);
  }

  /** Seconds until the oldest hits have aged out far enough that `used - expired + cost <= limit`. */
  private retryAfter(limit: number, windowSeconds: number, used: number, cost: number, now: number): number {
    let expiring = used;
    for (const row of this.ctx.storage.sql.exec("select at, cost from hits order by at")) {
      expiring -= Number(row.cost);
      if (expiring + cost <= limit) return Math.max(1, Math.ceil((Number(row.at) + windowSeconds * 1000 - now) / 1000));
    }
    // The cost alone exceeds the limit: it never fits, so the whole window is the honest answer.
    return windowSeconds;
  }

  /**
   * Records one hit of `cost` against `limit` per `windowSeconds` if it fits. Hits are kept in SQLite storage so
   * the window survives eviction.
   */
  async hit(limit: number, windowSeconds: number, cost = 1, now = Date.now()): Promise<LimitResult> {
    const used = this.window(windowSeconds, now);
    if (used + cost > limit) {
      const retryAfter = this.retryAfter(limit, windowSeconds, used, cost, now);
      return { allowed: false, remaining: Math.max(0, limit - used), retryAfter, reset: retryAfter };
    }
    this.ctx.storage.sql.exec("insert into hits (at, cost) values (?, ?)", now, cost);
    const oldest = Number(this.ctx.storage.sql.exec("select min(at) as at from hits").one().at);
    return { allowed: true, remaining: limit - used - cost, retryAfter: 0, reset: Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - now) / 1000)) };
  }

  /**
   * Whether anything is left of the budget, without spending it: for costs only known afterwards (AI tokens),
   * the caller checks here first and records the actual amount with `charge`.
   */
  async check(limit: number, windowSeconds: number, now = Date.now()): Promise<LimitResult> {
    const used = this.window(windowSeconds, now);
    if (used >= limit) return { allowed: false, remaining: 0, retryAfter: this.retryAfter(limit, windowSeconds, used, 1, now) };
    return { allowed: true, remaining: limit - used, retryAfter: 0 };
  }

  /** Records a cost that was already incurred, even past the limit (the next `check` then refuses). */
  async charge(windowSeconds: number, cost: number, now = Date.now()): Promise<{ used: number }> {
    const used = this.window(windowSeconds, now);
    if (cost > 0) this.ctx.storage.sql.exec("insert into hits (at, cost) values (?, ?)", now, cost);
    return { used: used + Math.max(0, cost) };
  }

  /** Forgets every hit: a successful sign-in or password reset ends an account's streak of failures. */
  async clear(): Promise<void> {
    this.ctx.storage.sql.exec("create table if not exists hits (at integer not null, cost integer not null)");
    this.ctx.storage.sql.exec("delete from hits");
  }
}
