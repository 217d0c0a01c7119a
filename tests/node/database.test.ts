import { drizzle } from "drizzle-orm/node-postgres";
import { count } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as schema from "../../db/schema";
import { DEMO_USERS, seedDemo } from "../../db/seed";
import { verifyPassword } from "../../worker/lib/password";
import { createDatabase, dropDatabase, migrate } from "../../scripts/lib/database";

const adminUrl = inject("adminDatabaseUrl");
const name = `bespoke_migrate_${process.pid}_${Date.now()}`;
let url: string;
let client: pg.Client;

beforeAll(async () => {
  url = await createDatabase(adminUrl, name);
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await dropDatabase(adminUrl, name);
});

describe("migrations on an empty database", () => {
  it("create every core table, the trigram extension and the search indexes", async () => {
    await migrate(url);
    const tables = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public' order by 1");
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(["workspaces", "users", "accounts", "contacts", "leads", "pipeline_stages", "opportunities", "activities", "attachments", "audit_log"]),
    );
    const ext = await client.query("select 1 from pg_extension where extname = 'pg_trgm'");
    expect(ext.rowCount).toBe(1);
    const idx = await client.query<{ indexname: string }>("select indexname from pg_indexes where indexdef ilike '%gin_trgm_ops%'");
    expect(idx.rows.length).toBeGreaterThanOrEqual(4);
  });

  it("are idempotent: a second run applies nothing and fails nothing", async () => {
    const before = await client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
    await migrate(url);
    const after = await client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe("demo seed", () => {
  it("fills an empty database once, with the documented logins and stages", async () => {
    const db = drizzle({ client, schema });
    expect(await seedDemo(db)).toBe(true);
    const counts = async () => ({
      workspaces: (await db.select({ n: count() }).from(schema.workspaces))[0]!.n,
      accounts: (await db.select({ n: count() }).from(schema.accounts))[0]!.n,
      contacts: (await db.select({ n: count() }).from(schema.contacts))[0]!.n,
      leads: (await db.select({ n: count() }).from(schema.leads))[0]!.n,
      opportunities: (await db.select({ n: count() }).from(schema.opportunities))[0]!.n,
      activities: (await db.select({ n: count() }).from(schema.activities))[0]!.n,
    });
    const first = await counts();
    expect(first).toMatchObject({ workspaces: 1, accounts: 20, contacts: 50, leads: 30, opportunities: 40 });
    expect(first.activities).toBeGreaterThan(100);
    // The stage norms are stored with the seed, so the board's median-based rotting works before the first nightly run.
    const [norms] = await db.select().from(schema.aiStageNorms);
    expect((norms!.norms as { samples: number }[]).some((n) => n.samples >= 5)).toBe(true);

    const users = await db.select().from(schema.users);
    expect(users.map((u) => [u.email, u.role]).sort()).toEqual(DEMO_USERS.map((u) => [u.email, u.role]).sort());
    expect(await verifyPassword("bespoke-demo", users[0]!.passwordHash)).toBe(true);
    const stages = await db.select().from(schema.pipelineStages).orderBy(schema.pipelineStages.position);
    expect(stages.map((s) => [s.name, s.probability, s.kind])).toEqual([
      ["Prospecting", 10, "open"], ["Qualification", 25, "open"], ["Proposal", 50, "open"],
      ["Negotiation", 75, "open"], ["Closed Won", 100, "won"], ["Closed Lost", 0, "lost"],
    ]);
    // Every stage holds deals, and every deal has history.
    const perStage = await client.query("select count(distinct stage_id)::int as n from opportunities");
    expect(perStage.rows[0].n).toBe(6);
    const bare = await client.query("select count(*)::int as n from opportunities o where not exists (select 1 from activities a where a.opportunity_id = o.id)");
    expect(bare.rows[0].n).toBe(0);

    expect(await seedDemo(db)).toBe(false);
    expect(await counts()).toEqual(first);
  });

  it("refuses to run against production", async () => {
    const db = drizzle({ client, schema });
    await expect(seedDemo(db, { environment: "production" })).rejects.toThrow(/production/);
  });
});
