/**
 * The board's statements with two pipelines (3/4 of the deals in the default one, 1/4 in a second), beside the
 * single-list statements the board ran before pipelines existed. Local PostgreSQL, a scratch database, p50 of 7.
 *
 *   npx tsx scripts/bench/pipelines.ts [deals=200000]
 */
import pg from "pg";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { createDatabase, dropDatabase, migrate } from "../lib/database";
import { boardPipelineQuery, stagesQuery, totalsQuery } from "../../worker/services/pipeline/totals";
import { cardColumns, cardJoins } from "../../worker/services/pipeline/cards";
import { opportunityWhere } from "../../worker/services/opportunities/filters";
import { pipelineIdExpr } from "../../worker/services/pipelines/read";

const admin = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `bench_pipelines_${process.pid}`;
const url = await createDatabase(admin, name);
await migrate(url);
const c = new pg.Client({ connectionString: url });
await c.connect();
const dialect = new PgDialect();
try {
  const ws = (await c.query(`insert into workspaces (name, slug) values ('B', 'b') returning id`)).rows[0].id;
  const p1 = (await c.query(`insert into pipelines (workspace_id, key, name, is_default) values ($1,'sales','Sales',true) returning id`, [ws])).rows[0].id;
  const p2 = (await c.query(`insert into pipelines (workspace_id, key, name, position) values ($1,'renewals','Renewals',1) returning id`, [ws])).rows[0].id;
  for (const [p, n] of [[p1, 6], [p2, 4]] as const) {
    for (let i = 0; i < n; i++) await c.query(`insert into pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind) values ($1,$2,$3,$4,$5,$6)`, [ws, p, `S${i}`, i, 10 * i, i === n - 1 ? "lost" : "open"]);
  }
  const N = Number(process.argv[2] ?? 200000);
  // 3/4 of the deals in Sales, 1/4 in Renewals.
  await c.query(`insert into opportunities (workspace_id, name, stage_id, amount, currency, position)
    select $1, 'Deal ' || g, (select id from pipeline_stages s where s.workspace_id = $1 and s.pipeline_id = case when g % 4 = 0 then $3::uuid else $2::uuid end order by s.position offset (g % 3) limit 1), (g % 1000) * 100, 'USD', g * 1024
    from generate_series(1, $4) g`, [ws, p1, p2, N]);
  await c.query("analyze");
  const time = async (label: string, q: ReturnType<typeof sql>) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await c.query(text, params);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    console.log(`${label.padEnd(48)} p50 ${runs[3]!.toFixed(1)} ms`);
  };
  const cards = (pid: string | undefined) => sql`select c.* from pipeline_stages s cross join lateral (select ${cardColumns()} from opportunities o ${cardJoins}
    where ${opportunityWhere(ws, {})} and o.stage_id = s.id order by o.position, o.id limit 51) c
    where s.workspace_id = ${ws} and s.pipeline_id = ${pipelineIdExpr(ws, pid)} and s.deleted_at is null order by s.position, c.position, c.id`;
  const oldCards = sql`select c.* from pipeline_stages s cross join lateral (select ${cardColumns()} from opportunities o ${cardJoins}
    where ${opportunityWhere(ws, {})} and o.stage_id = s.id order by o.position, o.id limit 51) c
    where s.workspace_id = ${ws} and s.deleted_at is null order by s.position, c.position, c.id`;
  const oldTotals = sql`select o.stage_id, o.currency, count(*)::int as count, coalesce(sum(o.amount), 0)::bigint as amount
    from opportunities o join pipeline_stages s on s.id = o.stage_id left join accounts a on a.id = o.account_id where ${opportunityWhere(ws, {})} group by o.stage_id, o.currency`;
  console.log(`${N} deals: ${N - Math.floor(N / 4)} in Sales (default), ${Math.floor(N / 4)} in Renewals`);
  await time("pipeline row (default)", boardPipelineQuery(ws, undefined));
  await time("stages (default)", stagesQuery(ws, undefined));
  await time("cards 50/stage (default pipeline)", cards(undefined));
  await time("cards 50/stage (Renewals)", cards(p2));
  await time("cards 50/stage, all stages (before: one list)", oldCards);
  await time("totals (default pipeline)", totalsQuery(ws, {}));
  await time("totals (Renewals)", totalsQuery(ws, { pipelineId: p2 }));
  await time("totals, whole workspace (before: one list)", oldTotals);
} finally {
  await c.end();
  await dropDatabase(admin, name);
}
