import pg from "pg";
import { renderSearchStatements } from "../../worker/services/search/query";
const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/bespoke_bench" });
await c.connect();
const ws = (await c.query("select id from workspaces where slug='bench'")).rows[0].id;
const qs = process.argv.slice(2);
const analyze = process.env.ANALYZE === "1";
for (const q of qs) {
  const { setup, query } = renderSearchStatements({ workspaceId: ws, q });
  const times: number[] = [];
  let rows: any[] = [];
  for (let i = 0; i < 5; i++) {
    await c.query("begin");
    await c.query(setup.sql, setup.params as any[]);
    const t = performance.now();
    const r = await c.query(query.sql, query.params as any[]);
    times.push(performance.now() - t);
    rows = r.rows;
    await c.query("commit");
  }
  console.log(`${q}: ${times.map((t) => t.toFixed(1)).join(" ")} ms; ${rows.length} rows; top: ${rows.slice(0, 5).map((r) => `${r.type}:${r.title}:${r.score}`).join(" | ")}`);
  if (analyze) {
    await c.query("begin");
    await c.query(setup.sql, setup.params as any[]);
    const r = await c.query("explain (analyze, buffers) " + query.sql, query.params as any[]);
    await c.query("commit");
    console.log(r.rows.map((x) => x["QUERY PLAN"]).join("\n"));
  }
}
await c.end();
