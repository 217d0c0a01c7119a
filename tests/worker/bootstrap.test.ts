import { env } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { createDatabase } from "../../db/client";
import { accounts, auditLog, pipelineStages, users, workspaces } from "../../db/schema";
import { DEFAULT_STAGES } from "../../db/seed";
import { callWith } from "../helpers/production";

const EMAIL = "founder@acme.example";
const PASSWORD = "a sturdy first passphrase";
const bootstrap = () => ({
  DATABASE_URL: inject("bootstrapDatabaseUrl"),
  BOOTSTRAP_ADMIN_EMAIL: EMAIL,
  BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
  BOOTSTRAP_WORKSPACE_NAME: "Acme Sales",
});

describe("first admin on an empty database", () => {
  it("creates exactly one workspace with the default stages and one ADMIN, even under concurrent first requests", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => callWith(bootstrap(), "/api/health")));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    const db = createDatabase(inject("bootstrapDatabaseUrl"), env.NEON_LOCAL_PROXY);
    const all = await db.http.select().from(workspaces);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ name: "Acme Sales", slug: "acme-sales" });
    const stages = await db.http.select().from(pipelineStages).where(eq(pipelineStages.workspaceId, all[0]!.id));
    expect(stages.map((s) => s.name).sort()).toEqual(DEFAULT_STAGES.map((s) => s.name).sort());
    const people = await db.http.select().from(users);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ email: EMAIL, role: "ADMIN", active: true });
    expect(people[0]!.passwordHash).toMatch(/^pbkdf2-sha256\$/);
    // No demo data.
    expect((await db.http.select({ n: count() }).from(accounts))[0]!.n).toBe(0);
    const [entry] = await db.http.select().from(auditLog).where(eq(auditLog.action, "workspace.bootstrap"));
    expect(entry?.workspaceId).toBe(all[0]!.id);

    const login = await callWith(bootstrap(), "/api/auth/login", { method: "POST", body: { email: EMAIL, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ role: "ADMIN", workspaceName: "Acme Sales" });
  });

  it("never adds a second admin once a workspace exists, whatever the variables say later", async () => {
    const res = await callWith({ ...bootstrap(), BOOTSTRAP_ADMIN_EMAIL: "intruder@evil.example" }, "/api/health");
    expect(res.status).toBe(200);
    const db = createDatabase(inject("bootstrapDatabaseUrl"), env.NEON_LOCAL_PROXY);
    expect(await db.http.select().from(workspaces)).toHaveLength(1);
    expect(await db.http.select().from(users).where(eq(users.email, "intruder@evil.example"))).toEqual([]);
  });

  it("refuses a weak bootstrap password as a configuration problem", async () => {
    const res = await callWith({ ...bootstrap(), BOOTSTRAP_ADMIN_PASSWORD: "password123" }, "/api/health");
    expect(res.status).toBe(503);
    expect(res.body.problems.join("\n")).toMatch(/BOOTSTRAP_ADMIN_PASSWORD is too common/);
  });
});
