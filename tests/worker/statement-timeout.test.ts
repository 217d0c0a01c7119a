import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatabase, rowsOf } from "../../db/client";
import worker from "../../worker/index";
import { createAccount, expectProblem } from "../helpers/records";
import { api, BASE, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

/** The SQLSTATE of a failed query, wherever the driver and Drizzle put it (the error or one of its causes). */
function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

describe("a request's database handle has a per-statement timeout", () => {
  it("applies statement_timeout to single statements, batches and transactions, and cancels a slow one (57014)", async () => {
    const db = createDatabase(env.DATABASE_URL, env.NEON_LOCAL_PROXY, { statementTimeoutMs: 300 });
    try {
      const shown = rowsOf<{ t: string }>(await db.http.execute(sql`select current_setting('statement_timeout') as t`));
      expect(shown[0]!.t).toBe("300ms");
      // The HTTP path wraps each statement with the setting and unwraps the answer: results stay where they were.
      const [one, two] = await db.http.batch([db.http.execute(sql`select 1 as a`), db.http.execute(sql`select 'two' as b, current_setting('statement_timeout') as t`)]);
      expect(rowsOf(one)).toEqual([{ a: 1 }]);
      expect(rowsOf(two)).toEqual([{ b: "two", t: "300ms" }]);
      const inTx = await db.transaction(async (tx) => rowsOf<{ t: string }>(await tx.execute(sql`select current_setting('statement_timeout') as t`)));
      expect(inTx[0]!.t).toBe("300ms");

      const started = Date.now();
      expect(sqlState(await db.http.execute(sql`select pg_sleep(5)`).catch((e: unknown) => e))).toBe("57014");
      expect(sqlState(await db.http.batch([db.http.execute(sql`select 1`), db.http.execute(sql`select pg_sleep(5)`)]).catch((e: unknown) => e))).toBe("57014");
      expect(sqlState(await db.transaction((tx) => tx.execute(sql`select pg_sleep(5)`)).catch((e: unknown) => e))).toBe("57014");
      // Three cancelled five-second sleeps: each stopped near its 300 ms limit, none ran out.
      expect(Date.now() - started).toBeLessThan(4500);
    } finally {
      await db.close();
    }
  });

  it("leaves handles without the option (scripts, cron, queue consumers) unlimited", async () => {
    const db = testDb();
    try {
      const shown = rowsOf<{ t: string }>(await db.http.execute(sql`select current_setting('statement_timeout') as t`));
      expect(shown[0]!.t).toBe("0");
    } finally {
      await db.close();
    }
  });
});

describe("a request whose query runs too long", () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await createWorkspace();
  });

  it("answers 503 problem+json with Retry-After within the limit, not a hang or a 500, and writes nothing", async () => {
    const account = await createAccount(ws.user, { name: "Locked Co" });
    const holder = testDb();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another session holds the row: the PATCH's update waits on the lock until statement_timeout cancels it.
    const holding = holder.transaction(async (tx) => {
      await tx.execute(sql`select id from accounts where id = ${account.id} for update`);
      locked();
      await released;
    });
    try {
      await isLocked;
      const ctx = createExecutionContext();
      const started = Date.now();
      const res = await worker.fetch(
        new Request(`${BASE}/api/accounts/${account.id}`, {
          method: "PATCH",
          headers: { Authorization: `Bearer ${ws.user.token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ name: "Renamed while locked" }),
        }),
        { ...env, DB_STATEMENT_TIMEOUT_MS: "700" } as Env,
        ctx,
      );
      const elapsed = Date.now() - started;
      await waitOnExecutionContext(ctx);
      const body = (await res.json()) as Record<string, unknown>;
      expectProblem({ status: res.status, headers: res.headers, body }, 503);
      expect(body).toMatchObject({ title: "Service Unavailable", code: "statement_timeout" });
      expect(String(body.detail)).toMatch(/took too long/);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(elapsed).toBeLessThan(5000);
    } finally {
      release();
      await holding;
      await holder.close();
    }
    const after = await api(`/api/accounts/${account.id}`, { token: ws.user.token });
    expect(after.body.name).toBe("Locked Co");
  });
});
