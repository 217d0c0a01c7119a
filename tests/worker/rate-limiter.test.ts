import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unique } from "../helpers/worker";

const limiter = (name = unique("rl")) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));

describe("RateLimiter Durable Object", () => {
  it("allows exactly the limit under concurrent callers", async () => {
    const stub = limiter();
    const results = await Promise.all(Array.from({ length: 25 }, () => stub.hit(10, 60)));
    const allowed = results.filter((r) => r.allowed);
    expect(allowed).toHaveLength(10);
    expect(allowed.map((r) => r.remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of results.filter((x) => !x.allowed)) {
      expect(r.remaining).toBe(0);
      expect(r.retryAfter).toBeGreaterThanOrEqual(1);
      expect(r.retryAfter).toBeLessThanOrEqual(60);
    }
  });

  it("holds a cost-weighted limit under concurrent callers", async () => {
    const stub = limiter();
    // 12 callers each wanting 3 of a budget of 20: six fit (18), the rest would overshoot.
    const results = await Promise.all(Array.from({ length: 12 }, () => stub.hit(20, 60, 3)));
    expect(results.filter((r) => r.allowed)).toHaveLength(6);
    expect((await stub.charge(60, 0)).used).toBe(18);
  });

  it("slides the window: hits older than the window stop counting", async () => {
    const stub = limiter();
    const t0 = 1_800_000_000_000;
    expect((await stub.hit(2, 60, 1, t0)).allowed).toBe(true);
    // RateLimit-Reset: the first hit (just made) leaves the window in 60 s, and 10 s later in 50 s.
    expect(await stub.hit(2, 60, 1, t0 + 10_000)).toEqual({ allowed: true, remaining: 0, retryAfter: 0, reset: 50 });
    const refused = await stub.hit(2, 60, 1, t0 + 20_000);
    // The oldest hit leaves the window 40 s later.
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfter: 40, reset: 40 });
    expect((await stub.hit(2, 60, 1, t0 + 60_001)).allowed).toBe(true);
    expect((await stub.hit(2, 60, 1, t0 + 60_002)).allowed).toBe(false);
  });

  it("checks a budget without spending it, and records actual costs even past the limit", async () => {
    const stub = limiter();
    const t0 = 1_800_000_000_000;
    expect(await stub.check(100, 86_400, t0)).toEqual({ allowed: true, remaining: 100, retryAfter: 0 });
    expect(await stub.check(100, 86_400, t0)).toEqual({ allowed: true, remaining: 100, retryAfter: 0 });
    expect(await stub.charge(86_400, 60, t0)).toEqual({ used: 60 });
    expect(await stub.charge(86_400, 90, t0 + 3_600_000)).toEqual({ used: 150 });
    const over = await stub.check(100, 86_400, t0 + 7_200_000);
    // Once the first 60 expire, 90 < 100 remain: that happens 22 h after this check.
    expect(over).toEqual({ allowed: false, remaining: 0, retryAfter: 22 * 3600 });
    expect((await stub.check(100, 86_400, t0 + 86_400_001)).allowed).toBe(true);
  });

  it("keeps separate counts per key (per workspace, per user)", async () => {
    const a = limiter();
    const b = limiter();
    await Promise.all(Array.from({ length: 3 }, () => a.hit(3, 60)));
    expect((await a.hit(3, 60)).allowed).toBe(false);
    expect((await b.hit(3, 60)).allowed).toBe(true);
  });
});
