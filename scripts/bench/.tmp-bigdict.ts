import pg from "pg";
import { renderSearchStatements } from "../../worker/services/search/query";
const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/bespoke_bench" });
await c.connect();
const ws = (await c.query("select id from workspaces where slug='bench'")).rows[0].id;
await c.query("begin");
const t0 = performance.now();
await c.query(`insert into search_words (workspace_id, entity, word)
  select $1, (array['account','contact','lead','opportunity']::search_entity[])[1 + (g % 4)], w from (
    select g, s1.x || s2.x || s3.x || coalesce(s4.x, '') as w from generate_series(1, 400000) g
    cross join lateral (select (array['ka','ro','li','mon','ter','sch','mi','dt','ne','wal','ski','ber','gar','cia','lo','vel','ace','nor','th','win','ok','af','or','glo','bex','an','el','us','ma','rin'])[1 + (hashint4(g) & 2147483647) % 30] x) s1
    cross join lateral (select (array['ka','ro','li','mon','ter','sch','mi','dt','ne','wal','ski','ber','gar','cia','lo','vel','ace','nor','th','win','ok','af','or','glo','bex','an','el','us','ma','rin'])[1 + (hashint4(g * 7 + 1) & 2147483647) % 30] x) s2
    cross join lateral (select (array['ka','ro','li','mon','ter','sch','mi','dt','ne','wal','ski','ber','gar','cia','lo','vel','ace','nor','th','win','ok','af','or','glo','bex','an','el','us','ma','rin'])[1 + (hashint4(g * 13 + 5) & 2147483647) % 30] x) s3
    cross join lateral (select (array['ka','ro','li','mon','ter','sch','mi','dt','ne','wal','ski','ber','gar','cia','lo','vel','ace','nor','th','win','ok','af','or','glo','bex','an','el','us','ma','rin', null,null,null,null,null,null,null,null,null,null])[1 + (hashint4(g * 17 + 3) & 2147483647) % 40] x) s4
  ) x on conflict do nothing`, [ws]);
await c.query("select gin_clean_pending_list('search_words_word_trgm_idx')"); await c.query("analyze search_words");
const n = (await c.query("select count(*) from search_words")).rows[0].count;
console.log(`dictionary: ${n} words (insert ${(performance.now() - t0).toFixed(0)} ms)`);
for (const q of process.argv.slice(2)) {
  const r = renderSearchStatements({ workspaceId: ws, q });
  await c.query(r.setup.sql, r.setup.params as any[]);
  const times: number[] = [];
  let rows: any[] = [];
  for (let i = 0; i < 4; i++) { const t = performance.now(); rows = (await c.query(r.query.sql, r.query.params as any[])).rows; times.push(performance.now() - t); }
  console.log(`${q}: ${times.map((t) => t.toFixed(1)).join(" ")} ms; ${rows.length} rows; ${rows.slice(0, 3).map((x) => `${x.type}:${x.title}:${x.score}`).join(" | ")}`);
  if (process.env.ANALYZE) {
    const e = await c.query("explain (analyze) " + r.query.sql, r.query.params as any[]);
    console.log(e.rows.map((x) => x["QUERY PLAN"]).filter((l: string) => /actual time=[0-9.]+\.\.([1-9][0-9]*\.|[3-9]\.)/.test(l)).join("\n"));
  }
}
await c.query("rollback");
await c.end();
