/**
 * EXPLAIN ANALYZE of every report query on the benchmark database (scripts/bench/generate.ts: 200k deals, 5M
 * activities): prints the execution time and the indexes each plan uses, beside the floor of a bare `select 1`.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bespoke_bench npx tsx scripts/bench/reports.ts
 */
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Database } from "../../db/client";
import { activityVolume } from "../../worker/services/reports/activity-volume";
import { conversion } from "../../worker/services/reports/conversion";
import { dealWatch } from "../../worker/services/reports/deal-watch";
import { forecast } from "../../worker/services/reports/forecast";
import { pipelineByStage } from "../../worker/services/reports/pipeline-by-stage";
import { pipelineOverTime } from "../../worker/services/reports/pipeline-over-time";
import { rotting } from "../../worker/services/reports/rotting";
import { winLoss } from "../../worker/services/reports/win-loss";

const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bespoke_bench";
const client = new pg.Client({ connectionString: url });
await client.connect();
// JIT=off mirrors a server with jit disabled; the default measures PostgreSQL's own default (jit on).
if (process.env.JIT === "off") await client.query("set jit = off");
const dialect = new PgDialect();

/** A Database whose http.execute runs EXPLAIN ANALYZE first, then the query itself, through node-postgres. */
function explaining(label: string, out: { label: string; ms: number; plan: string[] }[]): Database {
  const execute = async (q: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    const plan = await client.query(`explain (analyze, buffers, format text) ${text}`, params as unknown[]);
    const lines = plan.rows.map((r) => r["QUERY PLAN"] as string);
    const ms = Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))?.[1] ?? NaN);
    out.push({ label, ms, plan: lines });
    return client.query(text, params as unknown[]);
  };
  return { http: { execute } } as unknown as Database;
}

const { rows } = await client.query("select id from workspaces order by (select count(*) from opportunities o where o.workspace_id = workspaces.id) desc limit 1");
const workspaceId = rows[0].id as string;
const owner = (await client.query("select owner_id from opportunities where workspace_id = $1 and owner_id is not null limit 1", [workspaceId])).rows[0].owner_id as string;
const results: { label: string; ms: number; plan: string[] }[] = [];

const t0 = performance.now();
await client.query("select 1");
const floor = performance.now() - t0;

for (const groupBy of ["owner", "account", "reason", "pipeline", "source", "month"] as const) {
  await winLoss({ db: explaining(`win-loss groupBy=${groupBy}`, results), workspaceId, query: { groupBy } });
}
await winLoss({ db: explaining("win-loss groupBy=month ownerId", results), workspaceId, query: { groupBy: "month", ownerId: owner } });
await pipelineByStage({ db: explaining("pipeline-by-stage", results), workspaceId, query: {} });
await pipelineOverTime({ db: explaining("pipeline-over-time (12 weeks)", results), workspaceId, query: {} });
await conversion({ db: explaining("conversion", results), workspaceId, query: {} });
await forecast({ db: explaining("forecast", results), workspaceId, query: {} });
await activityVolume({ db: explaining("activity-volume (12 weeks)", results), workspaceId, query: {} });
await activityVolume({ db: explaining("activity-volume ownerId", results), workspaceId, query: { ownerId: owner } });
await dealWatch({ db: explaining("deal-watch", results), workspaceId, query: {} });
await rotting({ db: explaining("rotting", results), workspaceId, query: {} });
await rotting({ db: explaining("rotting ownerId", results), workspaceId, query: { ownerId: owner } });

console.log(`floor: select 1 = ${floor.toFixed(1)} ms`);
for (const r of results) {
  const indexes = [...new Set(r.plan.flatMap((l) => [...l.matchAll(/(?:using|Index Scan on) (\w+)/g)].map((m) => m[1])))];
  const seq = r.plan.filter((l) => /Seq Scan on (opportunities|activities)/.test(l)).length;
  // Pages touched: a load-independent figure beside the time (the machine may be busy).
  const pages = Number(/Buffers: shared hit=(\d+)/.exec(r.plan.join("\n"))?.[1] ?? 0) + Number(/Buffers: shared (?:hit=\d+ )?read=(\d+)/.exec(r.plan.join("\n"))?.[1] ?? 0);
  console.log(`${r.label.padEnd(34)} ${r.ms.toFixed(1).padStart(8)} ms ${String(pages).padStart(8)} pages  indexes: ${indexes.join(", ") || "-"}${seq ? `  SEQ SCANS: ${seq}` : ""}`);
  if (process.env.PLANS) console.log(r.plan.join("\n"));
}
await client.end();
