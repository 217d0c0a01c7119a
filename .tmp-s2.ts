import pg from "pg";
import { renderSearchStatements } from "./worker/services/search/query";
const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/bespoke_bench_tenth" });
await c.connect();
for (const q of process.argv.slice(2)) {
  const r = renderSearchStatements({ workspaceId: "00000000-0000-0000-0000-000000000000", q });
  try { await c.query("begin"); await c.query(r.setup.sql, r.setup.params); await c.query(r.query.sql, r.query.params); console.log(q, "ok"); }
  catch (e: any) { console.log(q, e.message, e.position, r.query.sql.slice(Number(e.position) - 200, Number(e.position) + 50)); }
  finally { await c.query("rollback"); }
}
await c.end();
