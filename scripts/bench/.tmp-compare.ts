import pg from "pg";
import { renderSearchStatements } from "../../worker/services/search/query";
import { renderSearchStatements as renderOld } from "./.tmp-query-old";
const c = new pg.Client({ connectionString: process.env.DB ?? "postgres://postgres@127.0.0.1:5432/bespoke_bench" });
await c.connect();
const ws = (await c.query("select id from workspaces where slug='bench'")).rows[0].id;
const words = (await c.query("select distinct word from search_words where workspace_id = $1", [ws])).rows.map((r) => r.word as string);
// typo variants: deletion, substitution, transposition, insertion
const variants = new Set<string>();
let seed = 7;
const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
for (const w of words) {
  if (w.length < 4) continue;
  const i = 1 + rnd(w.length - 1);
  variants.add(w.slice(0, i) + w.slice(i + 1));
  variants.add(w.slice(0, i) + "x" + w.slice(i + 1));
  if (i < w.length - 1) variants.add(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
  variants.add(w.slice(0, i) + "e" + w.slice(i));
}
const list = [...variants];
const multi: string[] = [];
for (let k = 0; k < 60; k++) multi.push(`${list[rnd(list.length)]} ${words[rnd(words.length)]}`, `${words[rnd(words.length)]} ${list[rnd(list.length)]}`, `${list[rnd(list.length)]} ${rnd(100)}`);
const queries = [...list, ...multi, "nortwind", "schmdt", "okafr", "lovelce", "globx", "kowalsky"];
async function run(r: ReturnType<typeof renderSearchStatements>) {
  await c.query("begin");
  await c.query(r.setup.sql, r.setup.params as any[]);
  const t = performance.now();
  const res = await c.query(r.query.sql, r.query.params as any[]);
  const ms = performance.now() - t;
  await c.query("commit");
  return { ms, rows: res.rows.map((x) => `${x.type}:${x.title}:${x.score}`) };
}
let same = 0, diff = 0;
const tOld: number[] = [], tNew: number[] = [];
const slow: [number, number, string][] = [];
for (const q of queries) {
  const o = await run(renderOld({ workspaceId: ws, q }));
  const n = await run(renderSearchStatements({ workspaceId: ws, q }));
  tOld.push(o.ms); tNew.push(n.ms); slow.push([n.ms, o.ms, q]);
  const a = [...o.rows].sort().join("|"), b = [...n.rows].sort().join("|");
  if (a === b) same++; else { diff++; if (diff <= 25) console.log(`DIFF ${q}\n  old(${o.rows.length}): ${o.rows.slice(0, 4).join(" ; ")}\n  new(${n.rows.length}): ${n.rows.slice(0, 4).join(" ; ")}`); }
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * xs.length)]!.toFixed(1);
console.log(`${queries.length} queries: ${same} same, ${diff} different; old p50 ${pct(tOld, 50)} p95 ${pct(tOld, 95)} max ${pct(tOld, 99.9)}; new p50 ${pct(tNew, 50)} p95 ${pct(tNew, 95)} max ${pct(tNew, 99.9)}`);
slow.sort((a, b) => b[0] - a[0]); console.log(slow.slice(0, 15).map(([n, o, q]) => `${q}: new ${n.toFixed(1)} old ${o.toFixed(1)}`).join("\n"));
slow.sort((a, b) => b[1] - a[1]); console.log('--- slowest old'); console.log(slow.slice(0, 15).map(([n, o, q]) => `${q}: new ${n.toFixed(1)} old ${o.toFixed(1)}`).join("\n"));
await c.end();
