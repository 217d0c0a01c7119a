import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activities, aiJobs, opportunities, outboxEvents } from "../../db/schema";
import worker from "../../worker/index";
import type { QueueMessage } from "../../worker/queues/messages";
import { allCitations, apiWith, fakeOpenAI, seedDeal, type SeededDeal } from "../helpers/ai";
import { expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let deal: SeededDeal;

beforeAll(async () => {
  ws = await createWorkspace();
  deal = await seedDeal(ws);
});

const AI_QUEUE = "bespoke-crm-ai";
const DLQ = "bespoke-crm-ai-dlq";

/** A job row as the API would have queued it, without sending it (so only this test delivers it). */
async function insertJob(values: Partial<typeof aiJobs.$inferInsert> = {}) {
  const db = testDb();
  try {
    const [job] = await db.http
      .insert(aiJobs)
      .values({ workspaceId: ws.id, kind: "summary", targetType: "opportunity", targetId: deal.opportunityId, requestedBy: ws.user.id, ...values })
      .returning();
    return job!;
  } finally {
    await db.close();
  }
}

async function jobRow(id: string) {
  const db = testDb();
  try {
    return (await db.http.select().from(aiJobs).where(eq(aiJobs.id, id)))[0]!;
  } finally {
    await db.close();
  }
}

/** A deal of its own, so no other test's jobs count against it. */
async function freshDeal(): Promise<string> {
  const res = await api("/api/opportunities", { method: "POST", token: ws.admin.token, body: { name: unique("Queued deal") } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function jobsOf(targetId: string) {
  const db = testDb();
  try {
    return await db.http.select().from(aiJobs).where(and(eq(aiJobs.workspaceId, ws.id), eq(aiJobs.targetId, targetId)));
  } finally {
    await db.close();
  }
}

const messageFor = (job: typeof aiJobs.$inferSelect): QueueMessage => ({
  type: "ai.summary",
  jobId: job.id,
  workspaceId: job.workspaceId,
  targetType: job.targetType as "opportunity",
  targetId: job.targetId,
  requestedBy: job.requestedBy,
  trigger: "manual",
});

/** Runs the Worker's queue handler on one message, as the Queues runtime would, and returns what it acked/retried. */
async function deliver(queue: string, body: unknown, attempts: number, workerEnv: Env = env) {
  const id = unique("msg");
  const batch = createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body }]);
  // getQueueResult reports that a message was retried but not its delay: record the options the handler passed.
  const retryOptions: (QueueRetryOptions | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (opts?: QueueRetryOptions) => {
      retryOptions.push(opts);
      retry(opts);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, workerEnv, ctx);
  return { id, result: await getQueueResult(batch, ctx), retryOptions };
}

async function waitForJob(id: string, token: string, done: (status: string) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await api(`/api/ai/jobs/${id}`, { token });
    expect(res.status).toBe(200);
    if (done(res.body.status) || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("summaries through the queue", () => {
  it("answers 202 with a job; the queue consumer writes a cited ai_summary activity", async () => {
    // With a provider key the request queues (without one, the offline engine answers in the request: ai-respect.test.ts).
    const res = await apiWith(fakeOpenAI().env(), "/api/ai/summaries", { method: "POST", token: ws.user.token, body: { targetType: "opportunity", targetId: deal.opportunityId } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ jobId: expect.any(String), status: "queued", created: true, job: { targetType: "opportunity", targetId: deal.opportunityId, requestedBy: ws.user.id } });
    expect(res.headers.get("location")).toBe(`/api/ai/jobs/${res.body.jobId}`);

    const job = await waitForJob(res.body.jobId, ws.viewer.token, (s) => s === "succeeded" || s === "dead");
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ activityId: job.activityId, targetType: "opportunity", targetId: deal.opportunityId, engine: { provider: "local", model: "bespoke-local-1" } });
    expect(job.result.headline.text).toMatch(/\$125,000\.00 in Proposal/);
    for (const id of allCitations(job.result)) expect(deal.knownIds.has(id), id).toBe(true);

    const latest = await api(`/api/ai/summaries?targetType=opportunity&targetId=${deal.opportunityId}`, { token: ws.viewer.token });
    expect(latest.body.summary.activityId).toBe(job.activityId);
    const stored = await api(`/api/activities/${job.activityId}`, { token: ws.viewer.token });
    expect(stored.body).toMatchObject({ type: "ai_summary", opportunityId: deal.opportunityId, properties: { provider: "local", jobId: job.id, trigger: "manual" } });
  });

  it("a request while a summary of the record is in flight returns that job instead of queueing another", async () => {
    const targetId = await freshDeal();
    const inFlight = await insertJob({ targetId, status: "running" });
    const dup = await api("/api/ai/summaries", { method: "POST", token: ws.user.token, body: { targetType: "opportunity", targetId } });
    expect(dup.status, JSON.stringify(dup.body)).toBe(202);
    expect(dup.body).toMatchObject({ jobId: inFlight.id, created: false, status: "running" });
    expect((await jobsOf(targetId)).map((j) => j.id)).toEqual([inFlight.id]);
  });

  it("simultaneous requests for one record (a double click, two tabs) queue exactly one job", async () => {
    const targetId = await freshDeal();
    const queued = fakeOpenAI().env();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => apiWith(queued, "/api/ai/summaries", { method: "POST", token: ws.admin.token, body: { targetType: "opportunity", targetId } })),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(202);
    expect(answers.filter((a) => a.body.created === true)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.jobId)).size).toBe(1);
    expect(await jobsOf(targetId)).toHaveLength(1);
  });

  it("consumer: success acknowledges the message and stores the summary with the provider's metadata", async () => {
    const fake = fakeOpenAI();
    const output = {
      headline: { text: "Deal is stuck in Proposal.", citations: [deal.opportunityId] },
      points: [{ text: "Security questionnaire overdue.", citations: [deal.activityIds.overdueTask] }],
    };
    const job = await insertJob({ targetType: "account", targetId: deal.accountId });
    // The account's context includes the deal, its task and the account itself.
    const out = { ...output, headline: { ...output.headline, citations: [deal.accountId, deal.opportunityId] } };
    await fake.script([{ output: out, usage: { input_tokens: 2000, output_tokens: 100 } }]);
    const { id, result } = await deliver(AI_QUEUE, messageFor(job), 1, fake.env());
    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
    const after = await jobRow(job.id);
    expect(after).toMatchObject({ status: "succeeded", attempts: 1, error: null });
    const res = await api(`/api/ai/jobs/${job.id}`, { token: ws.viewer.token });
    expect(res.body.result).toMatchObject({ headline: out.headline, engine: { provider: "openai", inputTokens: 2000, outputTokens: 100, estimatedCostMicros: 700 } });
    const stored = await api(`/api/activities/${after.activityId}`, { token: ws.viewer.token });
    expect(stored.body).toMatchObject({ type: "ai_summary", accountId: deal.accountId, opportunityId: null });
  });

  it("consumer: a transient failure is retried with exponential backoff, and the job then succeeds", async () => {
    const job = await insertJob();
    const broken = { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/nowhere" } as Env;
    const first = await deliver(AI_QUEUE, messageFor(job), 3, broken);
    expect(first.result.explicitAcks).toEqual([]);
    expect(first.result.retryMessages).toEqual([{ msgId: first.id }]);
    // 2^attempts seconds: the third attempt waits 8 s before the fourth.
    expect(first.retryOptions).toEqual([{ delaySeconds: 8 }]);
    expect((await jobRow(job.id)).status).toBe("queued");

    const second = await deliver(AI_QUEUE, messageFor(job), 4);
    expect(second.result.explicitAcks).toEqual([second.id]);
    expect(await jobRow(job.id)).toMatchObject({ status: "succeeded", attempts: 4 });
  });

  it("dead-letter queue: the job is marked dead with its last error, listed for ADMIN, and can be retried", async () => {
    const job = await insertJob({ status: "failed", attempts: 6, error: "Error connecting to database: fetch failed" });
    const { id, result } = await deliver(DLQ, messageFor(job), 1);
    expect(result.explicitAcks).toEqual([id]);
    const dead = await jobRow(job.id);
    expect(dead.status).toBe("dead");
    expect(dead.error).toBe("Gave up after 6 attempts: Error connecting to database: fetch failed");

    const list = await api("/api/ai/dead-letters", { token: ws.admin.token });
    expect(list.status).toBe(200);
    const entry = list.body.data.find((d: any) => d.id === job.id);
    expect(entry).toMatchObject({ status: "dead", targetType: "opportunity", targetId: deal.opportunityId, targetName: expect.stringMatching(/^Northwind/), error: dead.error });
    expectProblem(await api("/api/ai/dead-letters", { token: ws.user.token }), 403);
    const foreign = await createWorkspace();
    expect((await api("/api/ai/dead-letters", { token: foreign.admin.token })).body.data.find((d: any) => d.id === job.id)).toBeUndefined();
    expectProblem(await api(`/api/ai/dead-letters/${job.id}/retry`, { method: "POST", token: foreign.admin.token }), 404);
    expectProblem(await api(`/api/ai/dead-letters/${job.id}/retry`, { method: "POST", token: ws.user.token }), 403);

    const retried = await api(`/api/ai/dead-letters/${job.id}/retry`, { method: "POST", token: ws.admin.token });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: job.id, status: "queued", attempts: 0, error: null });
    expectProblem(await api(`/api/ai/dead-letters/${job.id}/retry`, { method: "POST", token: ws.admin.token }), 409);
    const done = await waitForJob(job.id, ws.admin.token, (s) => s === "succeeded" || s === "dead");
    expect(done.status).toBe("succeeded");
  });

  it("a job stuck in flight past every retry (its message lost) is listed as stalled and can be retried", async () => {
    const stuck = await insertJob({ status: "queued", updatedAt: new Date(Date.now() - 2 * 3_600_000) });
    const fresh = await insertJob({ status: "queued" });
    const list = await api("/api/ai/dead-letters", { token: ws.admin.token });
    expect(list.body.data.find((d: any) => d.id === stuck.id)).toMatchObject({ status: "queued", stalled: true });
    expect(list.body.data.find((d: any) => d.id === fresh.id)).toBeUndefined();
    expectProblem(await api(`/api/ai/dead-letters/${fresh.id}/retry`, { method: "POST", token: ws.admin.token }), 409);
    const retried = await api(`/api/ai/dead-letters/${stuck.id}/retry`, { method: "POST", token: ws.admin.token });
    expect(retried.status).toBe(202);
    expect((await waitForJob(stuck.id, ws.admin.token, (s) => s === "succeeded" || s === "dead")).status).toBe("succeeded");
  });

  it("a dead letter for a job that succeeded meanwhile leaves it succeeded", async () => {
    const job = await insertJob();
    await deliver(AI_QUEUE, messageFor(job), 1);
    const { result } = await deliver(DLQ, messageFor(job), 1);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await jobRow(job.id)).status).toBe("succeeded");
  });

  it("a redelivered message of a finished job is acknowledged without a second summary", async () => {
    const job = await insertJob();
    await deliver(AI_QUEUE, messageFor(job), 1);
    const { id, result } = await deliver(AI_QUEUE, messageFor(job), 2);
    expect(result.explicitAcks).toEqual([id]);
    const db = testDb();
    try {
      const rows = await db.http.select({ id: activities.id, properties: activities.properties }).from(activities).where(and(eq(activities.type, "ai_summary"), eq(activities.opportunityId, deal.opportunityId)));
      expect(rows.filter((r) => (r.properties as any).jobId === job.id)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it("a job whose record was deleted ends dead at once instead of retrying", async () => {
    const db = testDb();
    let oppId: string;
    try {
      const [o] = await db.http.insert(opportunities).values({ workspaceId: ws.id, name: unique("Gone"), stageId: ws.stages[0]!.id, deletedAt: new Date() }).returning();
      oppId = o!.id;
    } finally {
      await db.close();
    }
    const job = await insertJob({ targetId: oppId });
    const { id, result } = await deliver(AI_QUEUE, messageFor(job), 1);
    expect(result.explicitAcks).toEqual([id]);
    expect(await jobRow(job.id)).toMatchObject({ status: "dead", error: "The opportunity was deleted before its summary was written" });
  });

  it("validates requests and scopes jobs to the workspace", async () => {
    const other = await createWorkspace();
    expectProblem(await api("/api/ai/summaries", { method: "POST", token: other.user.token, body: { targetType: "opportunity", targetId: deal.opportunityId } }), 404);
    expectProblem(await api("/api/ai/summaries", { method: "POST", token: ws.user.token, body: { targetType: "invoice", targetId: deal.opportunityId } }), 422, ["targetType"]);
    expectProblem(await api("/api/ai/summaries", { method: "POST", token: ws.viewer.token, body: { targetType: "opportunity", targetId: deal.opportunityId } }), 403);
    const job = await insertJob();
    expectProblem(await api(`/api/ai/jobs/${job.id}`, { token: other.admin.token }), 404);
    expectProblem(await api("/api/ai/jobs/not-a-uuid", { token: ws.viewer.token }), 404);
    expectProblem(await api(`/api/ai/summaries?targetType=opportunity&targetId=${deal.opportunityId}`, { token: other.viewer.token }), 404);
  });
});

describe("significant events queue a fresh summary, debounced per record", () => {
  const jobsFor = async (targetId: string) => {
    const db = testDb();
    try {
      return await db.http.select().from(aiJobs).where(eq(aiJobs.targetId, targetId));
    } finally {
      await db.close();
    }
  };
  // Summaries are queued by the events consumer, a moment after the response: wait for the expected count, or (for
  // "nothing more") until the workspace's events were dispatched and the consumer had time to act on them.
  const eventuallyJobs = async (targetId: string, n: number) => {
    await expect.poll(async () => (await jobsFor(targetId)).length, { timeout: 20_000, interval: 200 }).toBe(n);
    return jobsFor(targetId);
  };
  const settled = async () => {
    await expect
      .poll(async () => (await testDb().http.select({ id: outboxEvents.id }).from(outboxEvents).where(and(eq(outboxEvents.workspaceId, ws.id), isNull(outboxEvents.dispatchedAt)))).length, { timeout: 20_000, interval: 200 })
      .toBe(0);
    await new Promise((r) => setTimeout(r, 2500));
  };

  it("a stage change queues one summary; a second change right after is debounced", async () => {
    const d = await seedDeal(ws);
    const opp = (await api(`/api/opportunities/${d.opportunityId}`, { token: ws.user.token })).body;
    const negotiation = ws.stages.find((s) => s.name === "Negotiation")!;
    const moved = await api(`/api/opportunities/${d.opportunityId}`, { method: "PATCH", token: ws.user.token, body: { stageId: negotiation.id, stageChangeReason: "Verbal yes", version: opp.version } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const jobs = await eventuallyJobs(d.opportunityId, 1);
    expect(jobs[0]).toMatchObject({ kind: "summary", targetType: "opportunity", requestedBy: null });

    const back = await api(`/api/opportunities/${d.opportunityId}`, { method: "PATCH", token: ws.user.token, body: { stageId: opp.stageId, stageChangeReason: "Slipped", version: moved.body.version } });
    expect(back.status).toBe(200);
    await settled();
    expect(await jobsFor(d.opportunityId)).toHaveLength(1);

    const done = await waitForJob(jobs[0]!.id, ws.user.token, (s) => s === "succeeded" || s === "dead");
    expect(done.status).toBe("succeeded");
    const stored = await api(`/api/activities/${done.activityId}`, { token: ws.user.token });
    expect(stored.body.properties.trigger).toBe("stage_change");
    // Finished a moment ago: still inside the debounce window, so another change queues nothing.
    const again = await api(`/api/opportunities/${d.opportunityId}`, { method: "PATCH", token: ws.user.token, body: { stageId: negotiation.id, stageChangeReason: "Back on", version: back.body.version } });
    expect(again.status).toBe(200);
    await settled();
    expect(await jobsFor(d.opportunityId)).toHaveLength(1);
  });

  it("a new meeting or call queues a summary of its record; a note or a plain edit does not", async () => {
    const d = await seedDeal(ws);
    const note = await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "note", opportunityId: d.opportunityId, subject: "FYI" } });
    expect(note.status).toBe(201);
    const edit = await api(`/api/opportunities/${d.opportunityId}`, { method: "PATCH", token: ws.user.token, body: { nextStep: "Send pricing" } });
    expect(edit.status).toBe(200);
    await settled();
    expect(await jobsFor(d.opportunityId)).toHaveLength(0);

    const call = await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "call", opportunityId: d.opportunityId, subject: "Pricing call", properties: { direction: "inbound" } } });
    expect(call.status).toBe(201);
    await eventuallyJobs(d.opportunityId, 1);

    const meeting = await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "meeting", contactId: d.outsider.id, subject: "Coffee" } });
    expect(meeting.status).toBe(201);
    const contactJobs = await eventuallyJobs(d.outsider.id, 1);
    expect(contactJobs[0]!.targetType).toBe("contact");

    const foreign = await createWorkspace();
    const refused = await api("/api/activities", { method: "POST", token: foreign.user.token, body: { type: "call", opportunityId: d.opportunityId, subject: "x" } });
    expect(refused.status).toBe(422);
    await settled();
    expect(await jobsFor(d.opportunityId)).toHaveLength(1);
  });
});
