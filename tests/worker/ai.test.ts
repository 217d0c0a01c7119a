import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activities, aiUsage, customFields, emailOutbox, opportunities } from "../../db/schema";
import { buildContext, contextForPrompt, contextSources } from "../../worker/ai/context";
import type { Feature } from "../../worker/ai/features";
import { localGenerate } from "../../worker/ai/local";
import { loadConfig } from "../../worker/config";
import { allCitations, apiWith, fakeOpenAI, seedDeal, type SeededDeal } from "../helpers/ai";
import { expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
let deal: SeededDeal;

beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
  deal = await seedDeal(ws);
});

/** The seeded ids plus every non-AI activity added to the deal since (tasks created from suggestions, notes). */
async function knownNow(d: SeededDeal): Promise<Set<string>> {
  const db = testDb();
  try {
    const rows = await db.http
      .select({ id: activities.id, type: activities.type })
      .from(activities)
      .where(eq(activities.opportunityId, d.opportunityId));
    return new Set([...d.knownIds, ...rows.filter((r) => !r.type.startsWith("ai_")).map((r) => r.id)]);
  } finally {
    await db.close();
  }
}

const expectGrounded = (output: unknown, known: Set<string>) => {
  const cited = allCitations(output);
  expect(cited.length).toBeGreaterThan(0);
  for (const id of cited) expect(known.has(id), `cited ${id}, which is not in the context`).toBe(true);
};

/** Valid model outputs for the fake server, citing only real ids. */
const nbaOutput = (d: SeededDeal) => ({
  actions: [
    {
      title: "Send the security questionnaire",
      rationale: "Alice asked for it 10 days ago and the task is overdue.",
      priority: "high",
      citations: [d.activityIds.inbound, d.activityIds.overdueTask],
      task: { subject: "Send security questionnaire to Alice", body: null, dueInDays: 0, contactId: d.champion.id },
    },
  ],
});
const briefLine = (text: string, ...ids: string[]) => ({ text, citations: ids });

describe("offline engine (no OpenAI key)", () => {
  it("ranks next best actions from the deal's signals, cites real ids and stores them as an activity", async () => {
    const res = await api("/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body;
    expect(r.engine).toMatchObject({ provider: "local", model: "bespoke-local-1", inputTokens: 0, outputTokens: 0, estimatedCostMicros: 0, fallbackReason: null });
    expect(r.actions.map((a: any) => a.rank)).toEqual(r.actions.map((_: unknown, i: number) => i + 1));
    expectGrounded(r.actions, deal.knownIds);
    expect(r.citations.every((id: string) => deal.knownIds.has(id))).toBe(true);
    expect(r.sources.map((s: any) => s.id)).toEqual(r.citations);

    // The signals the issue names, computed from this deal's data.
    const sig = Object.fromEntries(r.signals.map((s: any) => [s.key, s]));
    expect(sig.stage_age).toMatchObject({ status: "risk", value: 25 });
    expect(sig.stage_age.detail).toMatch(/usually move on after 6 days \(median of 3\)/);
    expect(sig.stage_age.citations).toContain(deal.activityIds.enteredProposal);
    expect(sig.last_inbound).toMatchObject({ value: 10, citations: [deal.activityIds.inbound] });
    expect(sig.overdue_tasks).toMatchObject({ status: "risk", value: 1, citations: [deal.activityIds.overdueTask] });
    expect(sig.close_date.status).toBe("risk");
    expect(sig.close_date.detail).toMatch(/passed 5 days ago; pushed 2 times/);
    expect(sig.close_date.citations).toEqual(expect.arrayContaining(deal.closeDateChangeIds));
    expect(sig.next_step.status).toBe("risk");
    expect(sig.engaged_contacts).toMatchObject({ value: 1, status: "warning" });

    const titles = r.actions.map((a: any) => a.title).join(" | ");
    expect(titles).toMatch(/overdue task "Send security questionnaire"/);
    expect(titles).toMatch(/Reset the close date/);
    expect(r.actions[0].priority).toBe("high");
    expect(r.actions[0].createTask).toMatchObject({ type: "task", opportunityId: deal.opportunityId, ownerId: ws.user.id, properties: { suggestionActivityId: r.activityId, suggestionIndex: 0 } });

    const stored = await api(`/api/activities/${r.activityId}`, { token: ws.viewer.token });
    expect(stored.body).toMatchObject({ type: "ai_next_actions", opportunityId: deal.opportunityId, accountId: deal.accountId, actorId: ws.user.id });
    expect(stored.body.properties).toMatchObject({ provider: "local", model: "bespoke-local-1", inputTokens: 0, outputTokens: 0, estimatedCostMicros: 0, citations: r.citations });
    expect(stored.body.properties.latencyMs).toEqual(expect.any(Number));
    expect(stored.body.properties.output.actions).toHaveLength(r.actions.length);
  });

  it("creates the task of a suggested action once, linked to the suggestion", async () => {
    const nba = (await api("/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } })).body;
    const path = `/api/ai/next-best-actions/${nba.activityId}/create-task`;
    const first = await api(path, { method: "POST", token: ws.user.token, body: { index: 1 } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      type: "task",
      subject: nba.actions[1].createTask.subject,
      opportunityId: deal.opportunityId,
      ownerId: ws.user.id,
      completedAt: null,
      properties: { suggestionActivityId: nba.activityId, suggestionIndex: 1 },
    });
    expect(Date.parse(first.body.dueAt)).toBeGreaterThan(Date.now());
    const again = await api(path, { method: "POST", token: ws.user.token, body: { index: 1 } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const suggestion = await api(`/api/activities/${nba.activityId}`, { token: ws.user.token });
    expect(suggestion.body.properties.createdTasks).toEqual({ "1": first.body.id });

    const custom = await api(path, { method: "POST", token: ws.user.token, body: { index: 0, subject: "My own words", dueAt: "2031-01-02T09:00:00Z", ownerId: ws.admin.id } });
    expect(custom.status).toBe(201);
    expect(custom.body).toMatchObject({ subject: "My own words", dueAt: "2031-01-02T09:00:00.000Z", ownerId: ws.admin.id });

    expectProblem(await api(path, { method: "POST", token: ws.user.token, body: { index: nba.actions.length } }), 422, ["index"]);
    expectProblem(await api(path, { method: "POST", token: ws.user.token, body: { index: 2, ownerId: other.admin.id } }), 422, ["ownerId"]);
    expectProblem(await api(path, { method: "POST", token: other.user.token, body: { index: 0 } }), 404);
    expectProblem(await api(path, { method: "POST", token: ws.viewer.token, body: { index: 0 } }), 403);
  });

  it("writes a one-page deal brief with every line cited, and reuses it until the deal changes", async () => {
    const res = await api(`/api/ai/deal-brief/${deal.opportunityId}`, { token: ws.user.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const b = res.body;
    expect(b.cached).toBe(false);
    for (const key of ["standing", "people", "history", "risks", "nextSteps"]) {
      expect(b.sections[key].length, key).toBeGreaterThan(0);
      for (const line of b.sections[key]) expect(line.citations.length, `${key}: ${line.text}`).toBeGreaterThan(0);
    }
    expectGrounded(b.sections, await knownNow(deal));
    expect(b.sections.standing[0].text).toMatch(/\$125,000\.00 in Proposal \(50% probability\)/);
    expect(b.sections.people.map((l: any) => l.text).join("\n")).toMatch(/Alice .*VP Sales, Champion, primary/);
    expect(b.sections.history.map((l: any) => l.text).join("\n")).toMatch(/moved Qualification → Proposal \(Proposal requested\)/);
    expect(b.sections.risks.map((l: any) => l.text).join("\n")).toMatch(/Risk — Overdue tasks/);

    const again = await api(`/api/ai/deal-brief/${deal.opportunityId}`, { token: ws.viewer.token });
    expect(again.body).toMatchObject({ cached: true, activityId: b.activityId });

    await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "note", opportunityId: deal.opportunityId, subject: "Budget moved to Q3" } });
    const changed = await api(`/api/ai/deal-brief/${deal.opportunityId}`, { token: ws.user.token });
    expect(changed.body.cached).toBe(false);
    expect(changed.body.activityId).not.toBe(b.activityId);
    const refreshed = await api(`/api/ai/deal-brief/${deal.opportunityId}?refresh=true`, { token: ws.user.token });
    expect(refreshed.body.cached).toBe(false);
    expect(refreshed.body.activityId).not.toBe(changed.body.activityId);
  });

  it("drafts an e-mail grounded in the deal; saving logs it, sending delivers it and logs an e-mail", async () => {
    const res = await api("/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId, intent: "follow up after the demo", tone: "friendly" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const d = res.body;
    expect(d.subject).toMatch(/demo/i);
    expect(d.body).toMatch(/^Hi Alice,/);
    expect(d.body).toContain("Product demo");
    expect(d.body).toContain("security questionnaire");
    expect(d.to).toEqual({ contactId: deal.champion.id, name: expect.stringMatching(/^Alice /), email: deal.champion.email });
    expect(d).toMatchObject({ status: "draft", intent: "follow up after the demo", tone: "friendly", engine: { provider: "local" } });
    expect(d.citations).toEqual(expect.arrayContaining([deal.champion.id, deal.opportunityId, deal.activityIds.demo]));
    expectGrounded(d, await knownNow(deal));
    // The private mobile number was in the e-mail the draft quotes; it must not come back out.
    expect(d.body.replace(/\D/g, "")).not.toContain(deal.champion.mobilePhone.replace(/\D/g, ""));

    const saved = await api(`/api/ai/drafts/${d.activityId}/save`, { method: "POST", token: ws.user.token, body: { body: "Hi Alice,\n\nShort and sweet.\n\nSam" } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: "saved", body: "Hi Alice,\n\nShort and sweet.\n\nSam", subject: d.subject });

    const sent = await api(`/api/ai/drafts/${d.activityId}/send`, { method: "POST", token: ws.user.token, body: { toContactId: deal.buyer.id } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.email).toMatchObject({ type: "email", subject: d.subject, body: "Hi Alice,\n\nShort and sweet.\n\nSam", contactId: deal.buyer.id, opportunityId: deal.opportunityId, properties: { direction: "outbound", draftActivityId: d.activityId } });
    expect(sent.body.draft).toMatchObject({ status: "sent", emailActivityId: sent.body.email.id, to: { contactId: deal.buyer.id } });
    // Sent through the mail provider (the dev outbox), not only logged.
    const [mail] = await testDb().http.select().from(emailOutbox).where(sql`${emailOutbox.headers}->>'Message-ID' = ${`<${sent.body.email.properties.messageId}>`}`);
    expect(mail).toMatchObject({ subject: d.subject, text: "Hi Alice,\n\nShort and sweet.\n\nSam", to: expect.stringMatching(/^ben/) });
    const stored = await api(`/api/activities/${d.activityId}`, { token: ws.user.token });
    expect(stored.body.properties.output.body).toBe(d.body);

    expectProblem(await api(`/api/ai/drafts/${d.activityId}/send`, { method: "POST", token: ws.user.token, body: {} }), 409);
    expectProblem(await api(`/api/ai/drafts/${d.activityId}/save`, { method: "POST", token: ws.user.token, body: { subject: "late" } }), 409);
  });

  it("drafts formally to a chosen contact, or to a contact without a deal", async () => {
    const formal = await api("/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId, contactId: deal.buyer.id, intent: "send the proposal", tone: "formal" } });
    expect(formal.status).toBe(200);
    expect(formal.body.to.contactId).toBe(deal.buyer.id);
    expect(formal.body.body).toMatch(/^Dear Ben /);
    expect(formal.body.body).toMatch(/Kind regards,/);

    const direct = await api("/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { contactId: deal.outsider.id, intent: "introduce myself" } });
    expect(direct.status).toBe(200);
    expect(direct.body).toMatchObject({ targetType: "contact", targetId: deal.outsider.id, to: { contactId: deal.outsider.id } });
    expect(direct.body.subject).toMatch(/^Introduction/);
  });

  it("gives the same output for the same context, citing only ids that were in it", async () => {
    const db = testDb();
    try {
      const config = loadConfig(env);
      if (!config.ok) throw new Error(config.problems.join());
      const now = new Date();
      const targets = [
        { type: "opportunity" as const, id: deal.opportunityId },
        { type: "account" as const, id: deal.accountId },
        { type: "contact" as const, id: deal.champion.id },
        { type: "lead" as const, id: deal.leadId },
      ];
      for (const target of targets) {
        const a = await buildContext({ db, workspaceId: ws.id, target, privateFields: config.config.AI_PRIVATE_FIELDS, now });
        const b = await buildContext({ db, workspaceId: ws.id, target, privateFields: config.config.AI_PRIVATE_FIELDS, now });
        const known = new Set(contextSources(a).keys());
        const feats: Feature[] = target.type === "opportunity" ? ["summary", "next_actions", "email_draft", "deal_brief"] : target.type === "contact" ? ["summary", "email_draft"] : ["summary"];
        for (const f of feats) {
          const args = f === "email_draft" ? { intent: "check in", tone: "concise" as const, toContactId: null, senderName: "Sam" } : {};
          const out1 = localGenerate(f, a, args as never);
          const out2 = localGenerate(f, b, args as never);
          expect(out2, `${target.type}/${f}`).toEqual(out1);
          expectGrounded(out1, known);
        }
        const text = contextForPrompt(a);
        expect(text).not.toContain(deal.champion.mobilePhone);
        expect(text).not.toContain(deal.champion.phone);
        expect(text.replace(/\D/g, "")).not.toContain(deal.champion.mobilePhone.replace(/\D/g, ""));
      }
      const lead = localGenerate("summary", await buildContext({ db, workspaceId: ws.id, target: targets[3]!, privateFields: [], now }), {});
      expect(lead.headline.text).toMatch(/^Uma .*, CFO at Brightline Labs: contacted lead from Webinar, created 12 days ago/);
      expect(lead.points.map((p) => p.text).join("\n")).toMatch(/Intro call with Uma/);
    } finally {
      await db.close();
    }
  });

  it("carries the record's custom values: registry fields only, private ones removed and scrubbed from text", async () => {
    const db = testDb();
    try {
      const ws2 = await createWorkspace();
      await db.http.insert(customFields).values([
        { workspaceId: ws2.id, entity: "opportunity", key: "segment", label: "Segment", type: "text" },
        { workspaceId: ws2.id, entity: "opportunity", key: "codename", label: "Code name", type: "text", settings: { aiPrivate: true } },
      ]);
      const opp = await api("/api/opportunities", { method: "POST", token: ws2.user.token, body: { name: "Custom context deal" } });
      await db.http
        .update(opportunities)
        .set({ custom: { segment: "SMB", codename: "Project Falcon", removedField: "stale" } })
        .where(eq(opportunities.id, opp.body.id));
      await api("/api/activities", { method: "POST", token: ws2.user.token, body: { type: "note", body: "Kick-off for Project Falcon went well", opportunityId: opp.body.id } });
      const ctx = await buildContext({ db, workspaceId: ws2.id, target: { type: "opportunity", id: opp.body.id }, privateFields: [] });
      expect(ctx.opportunity!.custom).toEqual({ segment: "SMB" });
      expect(contextForPrompt(ctx)).not.toContain("Falcon");
      const configured = await buildContext({ db, workspaceId: ws2.id, target: { type: "opportunity", id: opp.body.id }, privateFields: [{ entity: "opportunity", field: "custom.segment" }] });
      expect(configured.opportunity!.custom).toEqual({});
    } finally {
      await db.close();
    }
  });

  it("refuses bad input, other workspaces' records and roles without write access", async () => {
    expectProblem(await api("/api/ai/next-best-actions", { method: "POST", token: other.user.token, body: { opportunityId: deal.opportunityId } }), 404);
    expectProblem(await api(`/api/ai/deal-brief/${deal.opportunityId}`, { token: other.viewer.token }), 404);
    expectProblem(await api("/api/ai/deal-brief/not-a-uuid", { token: ws.viewer.token }), 404);
    expectProblem(await api("/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: {} }), 422, ["opportunityId"]);
    expectProblem(await api("/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: "nope" } }), 422, ["opportunityId"]);
    expectProblem(await api("/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { intent: "hi" } }), 422, ["opportunityId"]);
    expectProblem(await api("/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId, intent: "" } }), 422, ["intent"]);
    expectProblem(await api("/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId, contactId: other.admin.id, intent: "hi" } }), 404);
    expectProblem(await api("/api/ai/next-best-actions", { method: "POST", token: ws.viewer.token, body: { opportunityId: deal.opportunityId } }), 403);
    expectProblem(await api("/api/ai/next-best-actions", { method: "POST", body: { opportunityId: deal.opportunityId } }), 401);
    expectProblem(await api("/api/ai/usage", { token: ws.user.token }), 403);
    expectProblem(await api("/api/ai/dead-letters", { token: ws.user.token }), 403);
  });
});

describe("OpenAI provider against a fake Responses API", () => {
  it("uses the model's answer when it is valid and grounded, sending a strict JSON schema", async () => {
    const fake = fakeOpenAI();
    await fake.script([{ output: nbaOutput(deal), usage: { input_tokens: 1200, output_tokens: 300 } }]);
    const res = await apiWith(fake.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // gpt-5-mini: $0.25 / $2.00 per million tokens → 1200 × 0.25 + 300 × 2 = 900 micro-dollars.
    expect(res.body.engine).toMatchObject({ provider: "openai", model: "gpt-5-mini", inputTokens: 1200, outputTokens: 300, estimatedCostMicros: 900, fallbackReason: null });
    expect(res.body.actions).toHaveLength(1);
    expect(res.body.actions[0]).toMatchObject({ rank: 1, title: "Send the security questionnaire", citations: [deal.activityIds.inbound, deal.activityIds.overdueTask] });
    expect(res.body.actions[0].createTask.contactId).toBe(deal.champion.id);

    const [req, ...more] = await fake.requests();
    expect(more).toHaveLength(0);
    expect(req!.path).toMatch(/\/v1\/responses$/);
    expect(req!.authorization).toBe("Bearer sk-test");
    expect(req!.body).toMatchObject({ model: "gpt-5-mini", store: false, text: { format: { type: "json_schema", name: "next_best_actions", strict: true } } });
    expect(req!.body.input).toContain(deal.opportunityId);
    expect(req!.body.input).toContain(deal.activityIds.inbound);
    // Strict mode: every object closed and every property required.
    const walk = (node: any) => {
      if (!node || typeof node !== "object") return;
      if (node.type === "object") {
        expect(node.additionalProperties).toBe(false);
        expect([...node.required].sort()).toEqual(Object.keys(node.properties).sort());
      }
      Object.values(node).forEach(walk);
    };
    walk(req!.body.text.format.schema);
    expect(JSON.stringify(req!.body.text.format.schema)).not.toMatch(/maxLength|"format"|\$schema/);
  });

  it("rejects an invented citation, retries once, then falls back to the offline engine", async () => {
    const fake = fakeOpenAI();
    const invented = "00000000-0000-4000-8000-00000000abcd";
    const bad = { actions: [{ ...nbaOutput(deal).actions[0], citations: [invented] }] };
    await fake.script([{ output: bad, usage: { input_tokens: 100, output_tokens: 10 } }, { output: bad, usage: { input_tokens: 120, output_tokens: 10 } }]);
    const res = await apiWith(fake.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.status).toBe(200);
    expect(res.body.engine).toMatchObject({ provider: "local", model: "bespoke-local-1", fallbackReason: "invalid_citations", inputTokens: 220, outputTokens: 20 });
    expectGrounded(res.body.actions, await knownNow(deal));
    const reqs = await fake.requests();
    expect(reqs).toHaveLength(2);
    expect(reqs[1]!.body.input).toMatch(new RegExp(`CORRECTION: .*${invented}`));
    const stored = await api(`/api/activities/${res.body.activityId}`, { token: ws.user.token });
    expect(JSON.stringify(stored.body)).not.toContain(invented);
  });

  it("accepts the retried answer when the correction fixes the citation", async () => {
    const fake = fakeOpenAI();
    const bad = { actions: [{ ...nbaOutput(deal).actions[0], citations: [deal.activityIds.inbound, "act_123"] }] };
    await fake.script([{ output: bad }, { output: nbaOutput(deal) }]);
    const res = await apiWith(fake.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.body.engine.provider).toBe("openai");
    expect(res.body.citations).not.toContain("act_123");
    expect(await fake.requests()).toHaveLength(2);
  });

  it("rejects a task or recipient contact that is not in the context", async () => {
    const fake = fakeOpenAI();
    await fake.script([
      { output: { subject: "Hello", body: "Hi", toContactId: other.admin.id, citations: [deal.opportunityId] } },
      { output: { subject: "Hello", body: "Hi", toContactId: other.admin.id, citations: [deal.opportunityId] } },
    ]);
    const res = await apiWith(fake.env(), "/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId, intent: "check in" } });
    expect(res.body.engine).toMatchObject({ provider: "local", fallbackReason: "invalid_citations" });
    expect(res.body.to.contactId).toBe(deal.champion.id);
  });

  it("waits as Retry-After asks after a 429, then uses the answer", async () => {
    const fake = fakeOpenAI();
    await fake.script([
      { status: 429, headers: { "retry-after": "1" }, error: { message: "Rate limit reached for gpt-5-mini", type: "requests", code: "rate_limit_exceeded" } },
      { output: nbaOutput(deal) },
    ]);
    const res = await apiWith(fake.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.body.engine).toMatchObject({ provider: "openai", fallbackReason: null });
    const reqs = await fake.requests();
    expect(reqs).toHaveLength(2);
    // Without Retry-After the SDK would come back after at most 0.5 s; it waited the second it was told to.
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("falls back to the offline engine when the model times out", async () => {
    const fake = fakeOpenAI();
    await fake.script([{ delayMs: 1500, output: nbaOutput(deal) }, { delayMs: 1500, output: nbaOutput(deal) }, { delayMs: 1500, output: nbaOutput(deal) }]);
    const res = await apiWith(fake.env({ AI_TIMEOUT_MS: "200" }), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.status).toBe(200);
    expect(res.body.engine).toMatchObject({ provider: "local", fallbackReason: "timeout" });
    expect(res.body.actions.length).toBeGreaterThan(0);
    // The first attempt and the SDK's two retries.
    expect(await fake.requests()).toHaveLength(3);
  });

  it("falls back to the offline engine on malformed JSON, without a retry", async () => {
    const fake = fakeOpenAI();
    await fake.script([{ text: '{"actions": [{"title": "Send the', usage: { input_tokens: 900, output_tokens: 5 } }]);
    const res = await apiWith(fake.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.body.engine).toMatchObject({ provider: "local", fallbackReason: "malformed_output", inputTokens: 900, outputTokens: 5 });
    expect(await fake.requests()).toHaveLength(1);
  });

  it("falls back on output that is JSON but not the schema, and on server errors", async () => {
    const fake = fakeOpenAI();
    await fake.script([{ output: { actions: [] } }]);
    const wrong = await apiWith(fake.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(wrong.body.engine).toMatchObject({ provider: "local", fallbackReason: "invalid_output" });

    const down = fakeOpenAI();
    const err = { status: 500, error: { message: "The server had an error while processing your request.", type: "server_error", code: null } };
    await down.script([err, err, err]);
    const res = await apiWith(down.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.body.engine).toMatchObject({ provider: "local", fallbackReason: "upstream_error" });
    expect(await down.requests()).toHaveLength(3);
  });

  it("uses the model for deal briefs and e-mail drafts too", async () => {
    const fake = fakeOpenAI();
    await fake.script([
      {
        output: {
          standing: [briefLine("In Proposal for 25 days.", deal.opportunityId)],
          people: [briefLine("Alice is the champion.", deal.champion.id)],
          history: [briefLine("Demo went well.", deal.activityIds.demo)],
          risks: [briefLine("Close date passed.", deal.opportunityId, deal.closeDateChangeIds[1]!)],
          nextSteps: [briefLine("Send the questionnaire.", deal.activityIds.overdueTask)],
        },
      },
      { output: { subject: "Your questionnaire", body: "Hi Alice,\n\nAttached.\n\nSam", toContactId: deal.champion.id, citations: [deal.activityIds.inbound] } },
    ]);
    const brief = await apiWith(fake.env(), `/api/ai/deal-brief/${deal.opportunityId}?refresh=true`, { token: ws.user.token });
    expect(brief.status, JSON.stringify(brief.body)).toBe(200);
    expect(brief.body).toMatchObject({ cached: false, engine: { provider: "openai" }, sections: { risks: [{ text: "Close date passed." }] } });
    expect(brief.body.sources.find((s: any) => s.id === deal.closeDateChangeIds[1])).toMatchObject({ kind: "change" });
    const draft = await apiWith(fake.env(), "/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId, intent: "send the questionnaire", tone: "direct" } });
    expect(draft.body).toMatchObject({ subject: "Your questionnaire", engine: { provider: "openai" }, to: { contactId: deal.champion.id, email: deal.champion.email } });
    const reqs = await fake.requests();
    expect(reqs.map((r) => r.body.text.format.name)).toEqual(["deal_brief", "email_draft"]);
    expect(reqs[1]!.body.input).toMatch(/INTENT: send the questionnaire\n\nTONE: direct/);
  });

  it("never sends private fields to the provider", async () => {
    const fake = fakeOpenAI();
    await fake.script([{ output: nbaOutput(deal) }, { output: { subject: "Hi", body: "Hi Alice", toContactId: deal.champion.id, citations: [deal.champion.id] } }]);
    await apiWith(fake.env(), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    await apiWith(fake.env(), "/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { contactId: deal.champion.id, intent: "check in" } });
    const reqs = await fake.requests();
    expect(reqs).toHaveLength(2);
    for (const r of reqs) {
      // Alice's e-mail is not private and is sent; her phone numbers are, in any spelling.
      expect(r.raw).toContain(deal.champion.email);
      expect(r.raw).not.toContain(deal.champion.mobilePhone);
      expect(r.raw).not.toContain(deal.champion.phone);
      expect(r.raw.replace(/\D/g, "")).not.toContain(deal.champion.mobilePhone.replace(/\D/g, ""));
      expect(r.raw).not.toMatch(/mobilePhone/);
    }
    expect(reqs[0]!.raw).toContain("[private]");
  });

  it("keeps whatever AI_PRIVATE_FIELDS names out of the prompt, and rejects a malformed list", async () => {
    const fake = fakeOpenAI();
    await fake.script([{ output: nbaOutput(deal) }]);
    const res = await apiWith(fake.env({ AI_PRIVATE_FIELDS: "contact.email, activity.body" }), "/api/ai/next-best-actions", { method: "POST", token: ws.user.token, body: { opportunityId: deal.opportunityId } });
    expect(res.body.engine.provider).toBe("openai");
    const [req] = await fake.requests();
    expect(req!.raw).not.toContain(deal.champion.email);
    expect(req!.raw).not.toContain("manual reporting takes 6 days");
    // Not private under this setting: the phone numbers are sent.
    expect(req!.raw).toContain(deal.champion.mobilePhone);

    const bad = await apiWith({ ...env, AI_PRIVATE_FIELDS: "mobilePhone" } as Env, "/api/health");
    expect(bad.status).toBe(503);
    expect(bad.body.problems.join("\n")).toMatch(/AI_PRIVATE_FIELDS entries must look like contact\.mobilePhone/);
  });
});

describe("limits and metering", () => {
  it("refuses a user over AI_REQUESTS_PER_MINUTE with 429 and Retry-After, per user", async () => {
    const w = await createWorkspace();
    const d = await seedDeal(w);
    const limited = { ...env, AI_REQUESTS_PER_MINUTE: "2" } as Env;
    const call = (token: string) => apiWith(limited, "/api/ai/next-best-actions", { method: "POST", token, body: { opportunityId: d.opportunityId } });
    expect((await call(w.user.token)).status).toBe(200);
    expect((await call(w.user.token)).status).toBe(200);
    const refused = await call(w.user.token);
    expectProblem(refused, 429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ limit: "requests_per_minute", retryAfter: Number(refused.headers.get("retry-after")) });
    expect(refused.body.detail).toMatch(/try again in \d+ s/);
    // Another user of the same workspace has their own allowance.
    expect((await call(w.admin.token)).status).toBe(200);
  });

  it("checks the workspace's token budget before a call and charges the actual tokens after", async () => {
    const w = await createWorkspace();
    const d = await seedDeal(w);
    const fake = fakeOpenAI();
    await fake.script([{ output: nbaOutput(d), usage: { input_tokens: 700, output_tokens: 200 } }, { output: nbaOutput(d) }]);
    const budget = fake.env({ AI_TOKENS_PER_DAY: "500" });
    const first = await apiWith(budget, "/api/ai/next-best-actions", { method: "POST", token: w.user.token, body: { opportunityId: d.opportunityId } });
    expect(first.body.engine).toMatchObject({ provider: "openai", inputTokens: 700, outputTokens: 200 });
    const second = await apiWith(budget, "/api/ai/next-best-actions", { method: "POST", token: w.admin.token, body: { opportunityId: d.opportunityId } });
    expectProblem(second, 429);
    expect(second.body.limit).toBe("tokens_per_day");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(86_000);
    expect(await fake.requests()).toHaveLength(1);

    const usage = await apiWith(budget, "/api/ai/usage", { token: w.admin.token });
    expect(usage.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(usage.body.to).toBe(today);
    expect(usage.body.days).toHaveLength(30);
    expect(usage.body.days.at(-1)).toEqual({ day: today, requests: 1, inputTokens: 700, outputTokens: 200, costMicros: 575 });
    expect(usage.body.totals).toEqual({ requests: 1, inputTokens: 700, outputTokens: 200, costMicros: 575 });
    expect(usage.body.limits).toEqual({ requestsPerMinutePerUser: 1000, tokensPerDay: 500, tokensUsedLast24h: 900, tokensRemaining: 0 });
  });

  it("meters every request per workspace and UTC day, and validates the range", async () => {
    const w = await createWorkspace();
    const d = await seedDeal(w);
    await api("/api/ai/next-best-actions", { method: "POST", token: w.user.token, body: { opportunityId: d.opportunityId } });
    await api(`/api/ai/deal-brief/${d.opportunityId}`, { token: w.viewer.token });
    await api(`/api/ai/deal-brief/${d.opportunityId}`, { token: w.viewer.token }); // reused: not a new request
    const db = testDb();
    try {
      const rows = await db.http.select().from(aiUsage).where(eq(aiUsage.workspaceId, w.id));
      expect(rows).toEqual([{ workspaceId: w.id, day: new Date().toISOString().slice(0, 10), requests: 2, inputTokens: 0, outputTokens: 0, costMicros: 0 }]);
      const ai = await db.http.select({ type: activities.type }).from(activities).where(eq(activities.workspaceId, w.id));
      expect(ai.filter((a) => a.type.startsWith("ai_")).map((a) => a.type).sort()).toEqual(["ai_deal_brief", "ai_next_actions"]);
    } finally {
      await db.close();
    }
    const ranged = await api("/api/ai/usage?from=2026-01-01&to=2026-01-03", { token: w.admin.token });
    expect(ranged.body.days.map((x: any) => x.day)).toEqual(["2026-01-01", "2026-01-02", "2026-01-03"]);
    expectProblem(await api("/api/ai/usage?from=2026-02-01&to=2026-01-01", { token: w.admin.token }), 400, ["from"]);
    expectProblem(await api("/api/ai/usage?from=2020-01-01&to=2026-01-01", { token: w.admin.token }), 400, ["from"]);
    expectProblem(await api("/api/ai/usage?from=yesterday", { token: w.admin.token }), 400, ["from"]);
  });
});
