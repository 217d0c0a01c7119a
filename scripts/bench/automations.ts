/**
 * Automations, end to end on the app as `npm start` runs it (scripts/lib/stack.ts: wrangler dev, local Workflows,
 * Queues, the outbox relay), on a fresh database (the local PostgreSQL at 127.0.0.1:5432, else the embedded one).
 *
 *   npx tsx scripts/bench/automations.ts [--moves 40] [--deals 1000]
 *
 * Two figures (goals from issue 13):
 *   1. trigger → first action, p50 / p95 / max over `--moves` stage moves (PATCH, one at a time): from the moment the
 *      PATCH is sent to the moment the rule's first action (a follow-up task) finished — the step row's finished_at.
 *      Goal: p95 ≤ 5 s locally.
 *   2. `--deals` deals entering a stage in ONE CSV import (update by externalId): how many runs the rule made, how many
 *      tasks, duplicates and missing records, and how long until the last run finished. Goal: 1,000 runs, nothing
 *      lost or doubled.
 * The built-in rules are paused first, so only the benchmark's rule runs.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { startFreshStack } from "./fresh-stack";

const { values: args } = parseArgs({ options: { moves: { type: "string", default: "40" }, deals: { type: "string", default: "1000" } } });
const MOVES = Number(args.moves);
const DEALS = Number(args.deals);
const WORK = `.tmp/bench-automations-${process.pid}`;

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error("cleanup:", e));
  cleanups.length = 0;
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { stack, databaseUrl } = await startFreshStack({
    name: "automations",
    work: WORK,
    vars: { AUTOMATION_RUNS_PER_MINUTE: String(DEALS * 2 + MOVES) },
    cleanups,
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());

  const login = await fetch(`${stack.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "admin@demo.test", password: "bespoke-demo" }) });
  const { token } = (await login.json()) as { token: string };
  const call = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const res = await fetch(`${stack.url}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  // Only the benchmark's rule runs.
  const { data: rules } = await call<{ data: { id: string }[] }>("/api/automations");
  for (const r of rules) await call(`/api/automations/${r.id}`, { method: "PATCH", body: { enabled: false } });
  const { stages } = await call<{ stages: { id: string; name: string }[] }>("/api/pipeline/stages");
  const from = stages.find((s) => s.name === "Prospecting")!;
  const to = stages.find((s) => s.name === "Qualification")!;
  const rule = await call<{ id: string }>("/api/automations", {
    method: "POST",
    body: {
      name: "Bench follow-up",
      trigger: { type: "stage_entered", stages: [to.id] },
      actions: [{ type: "create_task", title: "Follow up on {{record.name}}", assignee: "owner", dueIn: { amount: 2, unit: "days" } }],
    },
  });

  // 1. trigger → first action, one move at a time.
  const latencies: number[] = [];
  for (let i = 0; i < MOVES; i++) {
    const deal = await call<{ id: string; version: number }>("/api/opportunities", { method: "POST", body: { name: `Latency ${i}`, stageId: from.id } });
    const sent = Date.now();
    await call(`/api/opportunities/${deal.id}`, { method: "PATCH", body: { stageId: to.id, stageChangeReason: "bench", version: deal.version } });
    for (let waited = 0; ; waited += 50) {
      const { rows } = await db.query<{ done: Date | null }>(
        `select s.finished_at as done from automation_runs r join automation_run_steps s on s.run_id = r.id and s.index = 0 and s.status = 'succeeded'
         where r.automation_id = $1 and r.record_id = $2`,
        [rule.id, deal.id],
      );
      if (rows[0]?.done) {
        latencies.push(rows[0].done.getTime() - sent);
        break;
      }
      if (waited > 60_000) throw new Error(`move ${i}: no first action after 60 s`);
      await sleep(50);
    }
  }

  console.log(`trigger → first action   p50 ${sec(quantile(latencies, 0.5))}   p95 ${sec(quantile(latencies, 0.95))}   max ${sec(Math.max(...latencies))}   (goal: p95 ≤ 5 s)`);

  // 2. DEALS deals enter the stage in one import.
  const ws = (await db.query<{ id: string }>("select id from workspaces order by created_at limit 1")).rows[0]!.id;
  await db.query(
    `insert into opportunities (workspace_id, name, stage_id, external_id, amount, currency)
     select $1, 'Imported ' || g, $2, 'bench-' || g, 100000, 'USD' from generate_series(1, $3) g`,
    [ws, from.id, DEALS],
  );
  const csv = ["Ref,Deal,Stage", ...Array.from({ length: DEALS }, (_, i) => `bench-${i + 1},Imported ${i + 1},${to.name}`)].join("\r\n");
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), "deals.csv");
  form.append("mapping", JSON.stringify({ Ref: "externalId", Deal: "name", Stage: "stageName" }));
  form.append("options", JSON.stringify({ duplicates: "update" }));
  const started = Date.now();
  const imported = await fetch(`${stack.url}/api/import/opportunities`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  const summary = (await imported.json()) as { updated?: number };
  if (!imported.ok) throw new Error(`import → ${imported.status}: ${JSON.stringify(summary)}`);
  const importMs = Date.now() - started;

  type Counts = { runs: number; finished: number; succeeded: number; records: number; tasks: number; taskRecords: number };
  const counts = async (): Promise<Counts> =>
    (
      await db.query<Counts>(
        `select (select count(*)::int from automation_runs r join opportunities o on o.id = r.record_id where r.automation_id = $1::uuid and o.external_id like 'bench-%') as runs,
                (select count(*)::int from automation_runs r join opportunities o on o.id = r.record_id where r.automation_id = $1::uuid and o.external_id like 'bench-%' and r.status in ('succeeded','failed','skipped')) as finished,
                (select count(*)::int from automation_runs r join opportunities o on o.id = r.record_id where r.automation_id = $1::uuid and o.external_id like 'bench-%' and r.status = 'succeeded') as succeeded,
                (select count(distinct r.record_id)::int from automation_runs r join opportunities o on o.id = r.record_id where r.automation_id = $1::uuid and o.external_id like 'bench-%') as records,
                (select count(*)::int from activities a join opportunities o on o.id = a.opportunity_id where a.type = 'task' and a.properties->>'automationId' = $1::text and o.external_id like 'bench-%') as tasks,
                (select count(distinct a.opportunity_id)::int from activities a join opportunities o on o.id = a.opportunity_id where a.type = 'task' and a.properties->>'automationId' = $1::text and o.external_id like 'bench-%') as "taskRecords"`,
        [rule.id],
      )
    ).rows[0]!;
  let c = await counts();
  let last = -1;
  let stalled = Date.now();
  while (c.finished < DEALS) {
    await sleep(1000);
    c = await counts();
    if (c.finished !== last) {
      last = c.finished;
      stalled = Date.now();
      process.stdout.write(`\r  import: ${c.runs} runs, ${c.finished} finished, ${c.tasks} tasks…`);
    }
    if (Date.now() - stalled > 180_000) break;
  }
  const allMs = Date.now() - started;
  process.stdout.write("\n");

  console.log(`\nAutomations (${MOVES} single moves; ${DEALS} deals in one import) — this machine, npm start's stack\n`);
  console.log(`import of ${DEALS} stage moves     request ${sec(importMs)}, ${summary.updated ?? "?"} updated; last run finished after ${sec(allMs)}`);
  console.log(`  runs ${c.runs} (${c.succeeded} succeeded) for ${c.records} distinct deals; tasks ${c.tasks} on ${c.taskRecords} deals`);
  const lost = DEALS - c.records;
  const doubled = c.runs - c.records + (c.tasks - c.taskRecords);
  console.log(`  lost ${lost}, doubled ${doubled}   (goal: ${DEALS} runs, nothing lost or doubled) → ${lost === 0 && doubled === 0 && c.succeeded === DEALS ? "OK" : "NOT MET"}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => void cleanup());
