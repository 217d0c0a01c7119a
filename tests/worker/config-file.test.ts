import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { aiJobs } from "../../db/schema";
import recruiting from "../../examples/recruiting/bespoke.config";
import { configJsonVar } from "../../worker/config-file/bundled";
import worker from "../../worker/index";
import { EVENTS_QUEUE } from "../../worker/queues/events";
import { apiWith, fakeOpenAI, seedDeal, type SeededDeal } from "../helpers/ai";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

/**
 * The Worker and the configuration file on its first request (worker/config-file/bundled.ts): the file it was built
 * with, or BESPOKE_CONFIG_JSON as `npm start` hands it over. A bad file makes every request a 503 problem+json naming
 * every problem, like a bad variable; branding and AI settings come from the file, variables override them.
 */
const withFile = (config: unknown, vars: Record<string, string> = {}) => ({ ...env, BESPOKE_CONFIG_JSON: configJsonVar(config), ...vars }) as Env;

let ws: TestWorkspace;
let deal: SeededDeal;
beforeAll(async () => {
  ws = await createWorkspace();
  deal = await seedDeal(ws);
});

describe("a bad configuration file", () => {
  const bad = { ...recruiting, branding: { name: "", accentColor: "teal" }, pipelines: [{ key: "x", name: "X", stages: [{ key: "a", name: "A", probability: 101 }] }] };

  it("makes every request answer 503 problem+json listing every problem, never a half-configured app", async () => {
    const res = await apiWith(withFile(bad), "/api/accounts", { token: ws.user.token });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const messages = (res.body.errors as { message: string }[]).map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "bespoke.config.ts: branding.name must not be empty",
        'bespoke.config.ts: branding.accentColor must be a colour like "#4f46e5"',
        "bespoke.config.ts: pipelines[0].stages[0].probability must be between 0 and 100",
        'bespoke.config.ts: pipelines[0].stages must have at least one won stage (kind: "won")',
        'bespoke.config.ts: pipelines[0].stages must have at least one lost stage (kind: "lost")',
      ]),
    );
    const health = await apiWith(withFile(bad), "/api/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: "not_ready" });
    expect(health.body.problems).toHaveLength(messages.length);
  });

  it("is reported together with bad variables", async () => {
    const res = await apiWith(withFile(bad, { BRAND_ACCENT_COLOR: "blue" }), "/api/health");
    expect(res.body.problems).toContain("BRAND_ACCENT_COLOR must be a colour like #4f46e5");
    expect(res.body.problems).toContain("bespoke.config.ts: branding.name must not be empty");
  });
});

describe("a valid configuration file", () => {
  it("brands the app unless a variable says otherwise", async () => {
    const own = await apiWith(withFile(recruiting), "/api/branding");
    expect(own.body).toMatchObject({ productName: "TalentBridge Recruiting", accentColor: "#0f766e" });
    const overridden = await apiWith(withFile(recruiting, { BRAND_NAME: "Acme Talent" }), "/api/branding");
    expect(overridden.body).toMatchObject({ productName: "Acme Talent", accentColor: "#0f766e" });
    // The built-in file (bespoke.config.ts) when nothing is handed over.
    expect((await apiWith(env as Env, "/api/branding")).body).toMatchObject({ productName: "Bespoke CRM", accentColor: "#4f46e5" });
  });

  it("adds ai.promptAdditions to the provider's instructions, after the grounding rules", async () => {
    const fake = fakeOpenAI();
    await fake.script([{ output: { actions: [] } }]);
    const res = await apiWith({ ...fake.env(), BESPOKE_CONFIG_JSON: configJsonVar(recruiting) } as Env, "/api/ai/next-best-actions", {
      method: "POST",
      token: ws.user.token,
      body: { opportunityId: deal.opportunityId },
    });
    expect(res.status).toBe(200);
    const [req] = await fake.requests();
    const body = JSON.parse(req!.raw) as { instructions: string };
    expect(body.instructions).toMatch(/Use only facts present in CONTEXT[\s\S]*House rules of this deployment[\s\S]*recruiting agency/);
  });
});

describe("features", () => {
  const jobsFor = async (targetId: string) => {
    const db = testDb();
    try {
      return await db.http.select().from(aiJobs).where(eq(aiJobs.targetId, targetId));
    } finally {
      await db.close();
    }
  };
  /**
   * Moves the deal to Negotiation with the events queue caught (so the test's own consumer never sees them), then hands
   * the caught events to the Worker's queue handler running with `config`, as the deployment with that file would.
   */
  const moveAndConsume = async (config: unknown, d: SeededDeal) => {
    const caught: unknown[] = [];
    const catching = { send: async (body: unknown) => void caught.push(body), sendBatch: async (msgs: { body: unknown }[]) => void caught.push(...msgs.map((m) => m.body)) } as unknown as Queue;
    const opp = (await api(`/api/opportunities/${d.opportunityId}`, { token: ws.user.token })).body;
    const negotiation = ws.stages.find((s) => s.name === "Negotiation")!;
    const res = await apiWith({ ...withFile(config), EVENTS_QUEUE: catching } as Env, `/api/opportunities/${d.opportunityId}`, { method: "PATCH", token: ws.user.token, body: { stageId: negotiation.id, stageChangeReason: "Verbal yes", version: opp.version } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(caught.map((m) => (m as { event: { type: string } }).event.type)).toContain("opportunity.stage_changed");
    const batch = createMessageBatch(EVENTS_QUEUE, caught.map((body, i) => ({ id: `m${i}-${d.opportunityId}`, timestamp: new Date(), attempts: 1, body })));
    const ctx = createExecutionContext();
    await worker.queue(batch, withFile(config), ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(caught.length);
  };

  it("aiAutoSummaries: false stops the summary a stage change would queue", async () => {
    const off = await seedDeal(ws);
    await moveAndConsume({ ...recruiting, features: { aiAutoSummaries: false } }, off);
    expect(await jobsFor(off.opportunityId)).toHaveLength(0);
    const on = await seedDeal(ws);
    await moveAndConsume(recruiting, on);
    expect(await jobsFor(on.opportunityId)).toHaveLength(1);
  });
});
